/** The architecture's boundaries, checked by `npm run lint`. */
module.exports = {
  forbidden: [
    {
      name: 'service-imports-service',
      comment:
        'A service talks to others over the bus, never by importing them (the gateway composes them in embedded mode).',
      severity: 'error',
      from: { path: '^services/([^/]+)/', pathNot: '^services/api-gateway/' },
      to: { path: '^services/([^/]+)/', pathNot: '^services/$1/' },
    },
    {
      name: 'package-imports-service',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^services/' },
    },
    {
      name: 'kafkajs-only-in-bus',
      comment: 'kafkajs is unmaintained: it stays behind the bus interface.',
      severity: 'error',
      from: { pathNot: '^packages/bus/' },
      to: { path: 'node_modules/kafkajs/' },
    },
    {
      name: 'pools-only-in-db',
      comment: 'Only packages/db opens connection pools.',
      severity: 'error',
      from: { pathNot: '^packages/(db|testkit)/' },
      to: { path: 'node_modules/pg/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    exclude: { path: '(^|/)(test|dist)/' },
  },
};
