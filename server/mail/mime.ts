interface Attachment {
  filename: string;
  contentType: string;
  content: Buffer;
}
export interface MailContent {
  from: string;
  to: readonly string[];
  subject: string;
  text: string;
  /** HTML alternative of `text` (the text part always goes too). */
  html?: string;
  attachments?: readonly Attachment[];
  date: Date;
}
