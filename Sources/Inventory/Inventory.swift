// Inventory module
