import { type HttpApp, loopbackOnly } from '@echoplex/http';
import type { Mailer } from '@echoplex/mailer';
import { z } from 'zod';

const Query = z.object({ to: z.string().max(254).optional() });
const Mailbox = z.object({
  items: z.array(
    z.object({
      to: z.string(),
      subject: z.string(),
      text: z.string(),
      html: z.string().optional(),
      sentAt: z.string(),
    }),
  ),
});

/**
 * Mail that was stored instead of sent, newest first: reset links and tickets of every user, so only
 * this machine may read it, and it is never registered in production.
 */
export function devMailboxRoute(app: HttpApp, mailer: Mailer) {
  app.get(
    '/api/dev/mailbox',
    {
      onRequest: loopbackOnly,
      schema: {
        tags: ['dev'],
        summary: 'Mail stored instead of sent (development only)',
        querystring: Query,
        response: { 200: Mailbox },
      },
    },
    async (request) => {
      const items = await mailer.mailbox({ to: request.query.to });
      return { items: items.map((mail) => ({ ...mail, sentAt: mail.sentAt.toISOString() })) };
    },
  );
}
