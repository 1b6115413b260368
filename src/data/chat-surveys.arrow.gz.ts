// Survey answers of LivePerson chats per day, skill and agent (see
// chats-sql.chatSurveysSql for what is published), for custom dates (loaded on
// demand; presets read the preset or filter files).
import { chatSurveysSql } from "./chats-sql.js";
import { day, published, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(chatSurveysSql({ period: day, keep: published }));
