print("asroll: not built yet")
