import type { Executor } from "../../db/client";
import type { Config } from "../config";
import { outboxProvider } from "./outbox";
import { postmarkProvider } from "./postmark";
import { resendProvider } from "./resend";
import type { EmailProvider } from "./types";

export type { EmailMessage, EmailProvider } from "./types";
export { EmailSendError } from "./types";

/** The provider EMAIL_PROVIDER names (config has already checked it has its key and sender). */
export function createEmailProvider(config: Config, db: Executor): EmailProvider {
  const http = { apiKey: config.EMAIL_API_KEY ?? "", from: config.EMAIL_FROM, baseUrl: config.EMAIL_API_BASE_URL };
  switch (config.EMAIL_PROVIDER) {
    case "resend":
      return resendProvider(http);
    case "postmark":
      return postmarkProvider(http);
    case "outbox":
      return outboxProvider(db);
  }
}
