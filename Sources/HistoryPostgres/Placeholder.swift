/// Placeholder until the PostgreSQL store lands.
enum HistoryPostgresPlaceholder {}
