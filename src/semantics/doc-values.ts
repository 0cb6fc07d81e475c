/**
 * Doc values: a field's values as Elasticsearch's doc values hold them,
 * typed by the mapping, which is what scripts and join keys read.
 */
import { type RawField, someValue } from './fields.js';
import { type ScriptValue, javaDoubleToString } from './null-logic.js';
import { formatIp, parseIp } from './types/ip.js';
import { floorMillis, formatJavaDateTime, parseDateWithFormat } from './types/date.js';

/** What doc values need to know of a field: its mapped type and date format, or no mapping. */
export interface TypedField {
  readonly spec: { readonly type: string; readonly format?: string } | null;
}

/**
 * A field's values as Elasticsearch's doc values hold them, typed by the
 * mapping: what scripts and join keys see. Without a schema, values keep their
 * JSON types.
 */
export function docValuesOf(field: TypedField, raw: RawField): ScriptValue[] {
  const out: ScriptValue[] = [];
  const type = field.spec?.type;
  someValue(raw, (v) => {
    switch (type) {
      case 'keyword':
      case 'text':
      case 'version':
        out.push(typeof v === 'number' ? (Number.isInteger(v) ? String(v) : javaDoubleToString(v)) : String(v));
        break;
      case 'date':
      case 'date_nanos': {
        // The stored instant, printed as Elasticsearch's scripts print a date (a `date` keeps milliseconds).
        const ns = parseDateWithFormat(v, field.spec?.format);
        out.push(ns === null ? String(v) : formatJavaDateTime(type === 'date' ? floorMillis(ns) * 1_000_000n : ns));
        break;
      }
      case 'ip': {
        // The indexed address, printed as Elasticsearch prints it; text that is no address stays as it is.
        const bytes = typeof v === 'string' ? parseIp(v) : null;
        out.push(bytes ? formatIp(bytes) : String(v));
        break;
      }
      case 'long':
      case 'double': {
        const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
        if (!Number.isNaN(n)) out.push(n);
        break;
      }
      case 'boolean':
        if (typeof v === 'boolean') out.push(v);
        else if (v === 'true' || v === 'false') out.push(v === 'true');
        break;
      default:
        out.push(v);
    }
    return false;
  });
  return out;
}
