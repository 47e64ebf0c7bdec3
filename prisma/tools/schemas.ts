// Writes prisma/schema.sqlite.prisma and prisma/schema.pg.prisma from prisma/models.prisma.
// Prisma needs a literal provider per schema file, so the models live once and the headers differ.
import { readFileSync, writeFileSync } from 'node:fs';

const providers = { sqlite: 'sqlite', pg: 'postgresql' } as const;
const models = readFileSync('prisma/models.prisma', 'utf8');

for (const [key, provider] of Object.entries(providers)) {
  const header = `// GENERATED from prisma/models.prisma by prisma/tools/schemas.ts: edit models.prisma instead.
generator client {
  provider = "prisma-client"
  output   = "../src/generated/${key}"
}

datasource db {
  provider = "${provider}"
}

`;
  writeFileSync(`prisma/schema.${key}.prisma`, header + models);
}
