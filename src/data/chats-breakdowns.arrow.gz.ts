// LivePerson chats per day, skill and agent, broken down by one attribute at a
// time (kind/key): start and end reasons, device, operating system, browser. For
// custom dates (loaded on demand; presets read the preset or filter files).
import { chatsBreakdownsSql } from "./chats-sql.js";
import { day, published, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(chatsBreakdownsSql({ period: day, keep: published }));
