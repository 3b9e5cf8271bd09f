/** The same-run baseline: the smallest useful Fastify server, on the same machine and Node. */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/', async (_request, reply) => reply.code(202).send());
app.get('/health', async () => ({ status: 'ok' }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 3999) });
