/// Placeholder until the proxy lands.
public enum FaultProxyPlaceholder {}
