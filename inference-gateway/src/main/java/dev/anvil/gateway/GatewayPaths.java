package dev.anvil.gateway;

/** The gateway's two faces: the OpenAI API under {@code /v1} (API keys, OpenAI's error shape) and {@code /admin}. */
public final class GatewayPaths {
    public static final String API = "/v1";
    public static final String ADMIN = "/admin";

    private GatewayPaths() {
    }

    public static boolean isApi(String path) {
        return isUnder(path, API);
    }

    public static boolean isAdmin(String path) {
        return isUnder(path, ADMIN);
    }

    private static boolean isUnder(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
