/**
 * The AWS Chatbot (Amazon Q Developer in chat applications) custom
 * notification, as documented at
 * https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html:
 * required `version` "1.0", `source` "custom" and `content.description`;
 * optional `id`, `content.textType` (only "client-markdown" is supported),
 * `title`, `nextSteps`, `keywords`, and `metadata` with `threadId`, `summary`,
 * `eventType`, `relatedResources` and `additionalContext` (string values).
 * Strict: a field the format does not define is an error.
 */
import { z } from 'zod';

export const ChatbotCustomNotification = z.strictObject({
  version: z.literal('1.0'),
  source: z.literal('custom'),
  id: z.string().min(1).optional(),
  content: z.strictObject({
    textType: z.literal('client-markdown').optional(),
    title: z.string().min(1).optional(),
    description: z.string().min(1),
    nextSteps: z.array(z.string().min(1)).optional(),
    keywords: z.array(z.string().min(1)).optional(),
  }),
  metadata: z
    .strictObject({
      threadId: z.string().min(1).optional(),
      summary: z.string().min(1).optional(),
      eventType: z.string().min(1).optional(),
      relatedResources: z.array(z.string().min(1)).optional(),
      additionalContext: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
});
