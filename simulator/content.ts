/** Vocabulary for synthetic records, plus the hostile strings a small share of text fields get. */
import type { Rng } from "./rng.js";

export const FIRST_NAMES = [
  "Emma", "Liam", "Olivia", "Noah", "Ava", "Lucas", "Mia", "Hugo", "Léa", "Chloé", "José", "Zoë", "Sofía",
  "Mateo", "Aarav", "Priya", "Wei", "Yuki", "Hiroshi", "Fatima", "Omar", "Øyvind", "Ingrid", "Chiara",
  "Giulia", "Kwame", "Amara", "Nguyễn", "Olga", "Dmitri", "Grace", "Jack", "Charlotte", "Ethan", "Isla",
];
export const LAST_NAMES = [
  "Martin", "Bernard", "Dubois", "Smith", "Johnson", "Williams", "Brown", "García", "Müller", "Schmidt",
  "Rossi", "Kowalski", "Nakamura", "Chen", "Patel", "Singh", "O'Brien", "Nguyen", "Haddad", "Cohen",
  "Okafor", "Silva", "Larsen", "Novak", "Taylor", "Wilson", "Thompson", "Moreau", "Lefebvre", "Kim",
];
export const EMAIL_DOMAINS = ["example.com", "mail.example.org", "example.net", "corp.example.com", "inbox.example.fr"];

export interface Place {
  countryCode: string;
  countryName: string;
  city: string;
  state: string;
  ipPrefix: string;
}
export const PLACES: readonly Place[] = [
  { countryCode: "FR", countryName: "France", city: "Paris", state: "Île-de-France", ipPrefix: "198.51.100" },
  { countryCode: "FR", countryName: "France", city: "Lyon", state: "Auvergne-Rhône-Alpes", ipPrefix: "198.51.101" },
  { countryCode: "US", countryName: "United States", city: "New York", state: "New York", ipPrefix: "203.0.113" },
  { countryCode: "US", countryName: "United States", city: "San Jose", state: "California", ipPrefix: "203.0.114" },
  { countryCode: "GB", countryName: "United Kingdom", city: "London", state: "England", ipPrefix: "192.0.2" },
  { countryCode: "DE", countryName: "Germany", city: "Berlin", state: "Berlin", ipPrefix: "100.64.10" },
  { countryCode: "AU", countryName: "Australia", city: "Sydney", state: "New South Wales", ipPrefix: "100.64.20" },
  { countryCode: "IN", countryName: "India", city: "Bengaluru", state: "Karnataka", ipPrefix: "100.64.30" },
  { countryCode: "IL", countryName: "Israel", city: "Tel Aviv", state: "Tel Aviv", ipPrefix: "100.64.40" },
  { countryCode: "BR", countryName: "Brazil", city: "São Paulo", state: "São Paulo", ipPrefix: "100.64.50" },
];

export interface Platform {
  deviceType: "desktop" | "mobile" | "tablet";
  deviceName: string | null;
  browser: string;
  browserVersion: string;
  os: string;
  lpOs: "WINDOWS" | "MAC_OSX" | "LINUX" | "IOS" | "ANDROID";
  lpDevice: "DESKTOP" | "MOBILE" | "TABLET";
  userAgent: string;
}
export const PLATFORMS: readonly Platform[] = [
  { deviceType: "desktop", deviceName: null, browser: "Chrome", browserVersion: "120.0.6099.109", os: "Windows 10", lpOs: "WINDOWS", lpDevice: "DESKTOP", userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36" },
  { deviceType: "desktop", deviceName: null, browser: "Firefox", browserVersion: "121.0", os: "Windows 11", lpOs: "WINDOWS", lpDevice: "DESKTOP", userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0" },
  { deviceType: "desktop", deviceName: "Apple", browser: "Safari", browserVersion: "17.2", os: "Mac OS X", lpOs: "MAC_OSX", lpDevice: "DESKTOP", userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15" },
  { deviceType: "desktop", deviceName: null, browser: "Chrome", browserVersion: "120.0.6099.71", os: "Linux", lpOs: "LINUX", lpDevice: "DESKTOP", userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36" },
  { deviceType: "mobile", deviceName: "iPhone", browser: "Mobile Safari", browserVersion: "17.1", os: "iOS", lpOs: "IOS", lpDevice: "MOBILE", userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1" },
  { deviceType: "mobile", deviceName: "Samsung", browser: "Chrome Mobile", browserVersion: "120.0.6099.43", os: "Android", lpOs: "ANDROID", lpDevice: "MOBILE", userAgent: "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36" },
  { deviceType: "tablet", deviceName: "iPad", browser: "Mobile Safari", browserVersion: "16.6", os: "iOS", lpOs: "IOS", lpDevice: "TABLET", userAgent: "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1" },
];
export const PLATFORM_WEIGHTS = [30, 12, 16, 4, 22, 12, 4];

export const SITE = "https://shop.example.com";
export const PAGES = [
  ["/", "Home"],
  ["/pricing", "Pricing"],
  ["/checkout", "Checkout"],
  ["/cart", "Cart"],
  ["/account/billing", "Billing"],
  ["/account/settings", "Account settings"],
  ["/help/returns", "Returns"],
  ["/products/ipad-pro", "iPad Pro"],
  ["/products/router-x2", "Router X2"],
  ["/signup", "Sign up"],
] as const;

export const TAGS = ["vip", "trial", "enterprise", "churn-risk", "beta", "b2b"];

export interface Topic {
  name: string;
  visitor: readonly string[];
  agent: readonly string[];
}
export const TOPICS: readonly Topic[] = [
  {
    name: "billing",
    visitor: ["Hi, I was charged twice this month", "Can I get a refund for the second charge?", "The invoice number is on my statement", "Thanks, that helps"],
    agent: ["I'm sorry about that, let me check your billing history", "I can see the duplicate charge", "I've issued a refund, it takes 3-5 business days", "Is there anything else I can help with?"],
  },
  {
    name: "login",
    visitor: ["I can't log in to my account", "It says my password is wrong", "I already tried the reset link", "Ok it works now"],
    agent: ["Let me help you with the login", "Can you confirm the email on the account?", "I've sent a new reset link, please check your inbox", "Great, glad it works"],
  },
  {
    name: "delivery",
    visitor: ["Where is my order?", "It was supposed to arrive yesterday", "The tracking page shows nothing", "Ok thank you"],
    agent: ["Let me look up your order", "The carrier reports a one-day delay", "You will receive a tracking email today", "Sorry for the inconvenience"],
  },
  {
    name: "product",
    visitor: ["Does the iPad Pro come with a keyboard?", "What about the warranty?", "Can I pay in instalments?", "Great, I'll order it"],
    agent: ["The keyboard is sold separately", "It has a two-year warranty", "Yes, we offer 3 or 10 instalments at checkout", "Let me share my screen to show you the options"],
  },
  {
    name: "setup",
    visitor: ["The router X2 doesn't connect", "The light keeps blinking orange", "I followed the guide", "It's green now!"],
    agent: ["Let's go through the setup together", "Can you open the admin page at 192.168.1.1?", "May I co-browse to guide you?", "Perfect, you're all set"],
  },
];

/**
 * Hostile content that real text fields can carry: markup that must never execute when
 * rendered, very long strings, emoji and right-to-left text (with a bidi override).
 */
export const HOSTILE_TEXTS = [
  "<script>window.__pwned=1</script>",
  '<img src=x onerror="window.__pwned=1">',
  '"><svg onload=window.__pwned=1>',
  "Ça marche 👍🏽🎉 merci ! 👩🏽‍💻",
  "مرحبا، أحتاج مساعدة في طلبي رقم 4521",
  "שלום, ההזמנה שלי לא הגיעה \u202Egnp.exe",
  "Robert'); DROP TABLE chats;--",
  `${"very long message ".repeat(600)}end`,
] as const;

/** Returns the text, or (with the given probability) a hostile variant of it. */
export function maybeHostile(rng: Rng, text: string, probability = 0.02): string {
  if (!rng.chance(probability)) return text;
  const hostile = rng.pick(HOSTILE_TEXTS);
  return rng.chance(0.5) ? hostile : `${text} ${hostile}`;
}
