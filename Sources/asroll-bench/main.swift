print("asroll-bench: not built yet")
