/**
 * @internal UTF-8 text codecs, created on first use: a bare browser realm may lack them until
 * caching is used, and importing the library must not require them.
 */
export const utf8 = {
  encode(text: string): Uint8Array {
    return (encoder ??= new TextEncoder()).encode(text);
  },
  /** Throws on malformed UTF-8 rather than replacing it: a corrupt record must not decode. */
  decode(data: Uint8Array): string {
    return (decoder ??= new TextDecoder('utf-8', { fatal: true })).decode(data);
  },
};

let encoder: TextEncoder | undefined;
let decoder: TextDecoder | undefined;
