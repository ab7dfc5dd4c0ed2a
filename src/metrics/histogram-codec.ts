/**
 * Histograms in a report: hdr-histogram-js's compressed base64 encoding
 * (`encodeIntoCompressedBase64`, the HdrHistogram "V2 compressed" format, deflated then base64),
 * values in integer microseconds. HdrHistograms add without loss, so reports of shards (or of
 * runs) merge exactly: decode, add, re-encode, and read the percentiles from the sum.
 */
import * as hdr from 'hdr-histogram-js';
import { merged, type Histogram } from './histogram.js';

export const HISTOGRAM_ENCODING = 'hdr-histogram-compressed-base64';

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

/** Thrown for a string that is not an encoded histogram; the caller says where it was. */
export class HistogramDecodeError extends Error {}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Decodes into an auto-resizing histogram of our own layout (histogram.ts), so sums of decoded
 * histograms never overflow a narrower bucket size.
 */
export function decodeHistogram(encoded: string): Histogram {
  if (typeof encoded !== 'string' || encoded.length === 0 || !BASE64.test(encoded)) {
    throw new HistogramDecodeError('not a base64 string');
  }
  let decoded: Histogram;
  try {
    decoded = hdr.decodeFromCompressedBase64(encoded, 32, false);
  } catch (err) {
    throw new HistogramDecodeError((err as Error).message || 'undecodable');
  }
  return merged([decoded]);
}
