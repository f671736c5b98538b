// SecretScan module
