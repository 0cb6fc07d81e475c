import type { OutputFormat } from './index.js';

export const ndjson: OutputFormat = {
  name: 'ndjson',
  description: 'one JSON object per line (the default when not on a terminal)',
  columnar: false,
  create: () => ({
    item: (item) => `${JSON.stringify(item)}\n`,
    end: () => '',
  }),
};
