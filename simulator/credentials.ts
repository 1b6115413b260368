/** The demo credentials every route accepts (and the special keys that trigger documented errors). */
export const DEMO_CREDENTIALS = {
  upscope: {
    apiKey: "demo-upscope-key",
    /** On-premise REST key, sent as the raw `Authorization` header. */
    onPremiseRestKey: "demo-upscope-rest-key",
    /** Keys that get the other documented 401 errors. */
    errorKeys: {
      no_subscription: "demo-upscope-no-subscription",
      api_not_enabled: "demo-upscope-api-not-enabled",
      please_contact_team: "demo-upscope-contact-team",
    },
  },
  liveperson: {
    accountId: "demo-account",
    bearerToken: "demo-bearer-token",
    oauth1: {
      consumerKey: "demo-consumer-key",
      consumerSecret: "demo-consumer-secret",
      token: "demo-access-token",
      tokenSecret: "demo-access-token-secret",
    },
  },
  agendize: {
    apiKey: "demo-api-key",
    token: "demo-token",
    bearerToken: "demo-agendize-token",
  },
} as const;

export type DemoCredentials = typeof DEMO_CREDENTIALS;
