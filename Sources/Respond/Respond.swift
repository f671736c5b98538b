// Respond module: the guided response to a leaked access key.
