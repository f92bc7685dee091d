/**
 * The client's version: package.json's, which is the service's (the root pom.xml; OneVersionTests there checks
 * package.json, and test/version.test.js checks this constant against package.json). Kept as a constant so the
 * client needs no JSON import and no build step in browsers.
 */
export const VERSION = "1.1.0";

/** What the client sends as User-Agent where it may set one (not in browsers: they own that header). */
export const USER_AGENT = `signaling-api-client/${VERSION}`;
