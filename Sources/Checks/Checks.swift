// Checks module
