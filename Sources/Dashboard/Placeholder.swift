/// Placeholder until the dashboard lands.
enum DashboardPlaceholder {}
