print("asroll-sim: not built yet")
