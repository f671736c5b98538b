// LogDetect module
