#if canImport(Glibc)
import Glibc
#endif
let message = "asroll-sim-node: not built yet\n"
_ = write(2, message, message.utf8.count)
exit(1)
