print("mamori-fault-proxy: not built yet")
