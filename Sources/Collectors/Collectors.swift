// Collectors module
