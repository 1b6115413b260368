/**
 * Typed helpers for the instructions the co-browsing iframe understands (seed 002,
 * "Instructions"): each posts `{action, …parameters}` to the iframe's window, and only
 * to the iframe's own origin, so an instruction never reaches a page the iframe was
 * navigated away to.
 */
import { EmbeddedInstruction } from "../schemas.js";

type Frame = Pick<HTMLIFrameElement, "contentWindow" | "src">;

function originOf(iframe: Frame): string {
  const base = typeof location === "undefined" ? undefined : location.href;
  let origin: string;
  try {
    origin = new URL(iframe.src, base).origin;
  } catch {
    origin = "null";
  }
  if (origin === "null") throw new Error("the iframe's origin is not known from its src: pass targetOrigin");
  return origin;
}

/** Checks the instruction against the documented shapes and posts it to the iframe. */
export function sendInstruction(iframe: Frame, instruction: EmbeddedInstruction, targetOrigin: string = originOf(iframe)): void {
  const checked = EmbeddedInstruction.parse(instruction);
  const target = iframe.contentWindow;
  if (!target) throw new Error("the iframe has no window: is it attached to the document?");
  target.postMessage(checked, targetOrigin);
}

export type ModeTool = Extract<EmbeddedInstruction, { action: "setMode" }>["mode"];

export const endSession = (iframe: Frame, targetOrigin?: string) => sendInstruction(iframe, { action: "endSession" }, targetOrigin);
export const setMode = (iframe: Frame, mode: ModeTool, targetOrigin?: string) => sendInstruction(iframe, { action: "setMode", mode }, targetOrigin);
/** Without a color, the iframe toggles between its built-in colors. */
export const switchColor = (iframe: Frame, color?: string, targetOrigin?: string) =>
  sendInstruction(iframe, color === undefined ? { action: "switchColor" } : { action: "switchColor", color }, targetOrigin);
export const toggleAudio = (iframe: Frame, on: boolean, targetOrigin?: string) => sendInstruction(iframe, { action: "toggleAudio", on }, targetOrigin);
export const toggleVideo = (iframe: Frame, targetOrigin?: string) => sendInstruction(iframe, { action: "toggleVideo" }, targetOrigin);
export const setMuted = (iframe: Frame, muted: boolean, targetOrigin?: string) => sendInstruction(iframe, { action: "setMuted", muted }, targetOrigin);
export const beginVideo = (iframe: Frame, targetOrigin?: string) => sendInstruction(iframe, { action: "beginVideo" }, targetOrigin);
export const endVideo = (iframe: Frame, targetOrigin?: string) => sendInstruction(iframe, { action: "endVideo" }, targetOrigin);
export const forceRefresh = (iframe: Frame, targetOrigin?: string) => sendInstruction(iframe, { action: "forceRefresh" }, targetOrigin);
export const historyBack = (iframe: Frame, targetOrigin?: string) => sendInstruction(iframe, { action: "historyBack" }, targetOrigin);
export const historyForward = (iframe: Frame, targetOrigin?: string) => sendInstruction(iframe, { action: "historyForward" }, targetOrigin);
export const reloadPage = (iframe: Frame, targetOrigin?: string) => sendInstruction(iframe, { action: "reloadPage" }, targetOrigin);
export const requestControl = (iframe: Frame, targetOrigin?: string) => sendInstruction(iframe, { action: "requestControl" }, targetOrigin);
export const requestFullTab = (iframe: Frame, targetOrigin?: string) => sendInstruction(iframe, { action: "requestFullTab" }, targetOrigin);
export const stopFullTab = (iframe: Frame, targetOrigin?: string) => sendInstruction(iframe, { action: "stopFullTab" }, targetOrigin);
export const runConsoleCommand = (iframe: Frame, command: string, targetOrigin?: string) =>
  sendInstruction(iframe, { action: "runConsoleCommand", command }, targetOrigin);
export const sendCustomMessage = (iframe: Frame, message: Record<string, unknown>, targetOrigin?: string) =>
  sendInstruction(iframe, { action: "sendCustomMessage", message }, targetOrigin);
/** Switches to another visitor connection (tab): an id from the state's `connections[].uniqueConnectionId`. */
export const setActiveConnection = (iframe: Frame, connectionId: string, targetOrigin?: string) =>
  sendInstruction(iframe, { action: "setActiveConnection", connectionId }, targetOrigin);
export const setCurrentUrl = (iframe: Frame, url: string, targetOrigin?: string) => sendInstruction(iframe, { action: "setCurrentUrl", url }, targetOrigin);
export const emojiConfetti = (iframe: Frame, emoji: string, targetOrigin?: string) => sendInstruction(iframe, { action: "emojiConfetti", emoji }, targetOrigin);
