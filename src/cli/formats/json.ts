import type { OutputFormat } from './index.js';

export const json: OutputFormat = {
  name: 'json',
  description: 'one JSON array of all results',
  columnar: false,
  create: () => {
    let first = true;
    return {
      item: (item) => {
        const prefix = first ? '[\n' : ',\n';
        first = false;
        return prefix + JSON.stringify(item);
      },
      end: () => (first ? '[]\n' : '\n]\n'),
    };
  },
};
