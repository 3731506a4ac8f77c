// A small ustar reader and writer (GNU long names and pax `path`/`linkpath` understood on read,
// GNU long names written). Used by the stub backend; the SDK backend lets GNU tar in the container
// do the work.

export type TarEntryType = "file" | "dir" | "symlink";

export interface TarEntry {
  name: string;
  type: TarEntryType;
  mode: number;
  mtime: number;
  data: Uint8Array;
  linkname: string;
}

const BLOCK = 512;
const dec = new TextDecoder();
const enc = new TextEncoder();

function str(buf: Uint8Array, off: number, len: number): string {
  const b = buf.subarray(off, off + len);
  const nul = b.indexOf(0);
  return dec.decode(nul >= 0 ? b.subarray(0, nul) : b);
}

function octal(buf: Uint8Array, off: number, len: number): number {
  const b = buf.subarray(off, off + len);
  if (b[0]! & 0x80) {
    // base-256 (GNU) for big numbers
    let n = 0;
    for (let i = 1; i < b.length; i++) n = n * 256 + b[i]!;
    return n;
  }
  const s = str(buf, off, len).trim();
  return s === "" ? 0 : parseInt(s, 8);
}

function parsePax(data: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const text = dec.decode(data);
  let i = 0;
  while (i < text.length) {
    const sp = text.indexOf(" ", i);
    if (sp < 0) break;
    const len = parseInt(text.slice(i, sp), 10);
    if (!(len > 0)) break;
    const rec = text.slice(sp + 1, i + len - 1);
    const eq = rec.indexOf("=");
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

/** Reads every entry of a tar archive (uncompressed). Throws on a malformed header. */
export function readTar(bytes: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  let off = 0;
  let longName: string | null = null;
  let longLink: string | null = null;
  let pax: Record<string, string> = {};
  for (;;) {
    if (off === bytes.length) break; // no end-of-archive blocks: accepted, as GNU tar does
    if (off + BLOCK > bytes.length) throw new Error(`truncated tar archive (${bytes.length - off} stray bytes at offset ${off})`);
    const h = bytes.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    if (sum !== octal(h, 148, 8)) throw new Error(`bad tar header checksum at offset ${off}`);
    const size = octal(h, 124, 12);
    const typeflag = String.fromCharCode(h[156]!);
    const dataStart = off + BLOCK;
    if (dataStart + size > bytes.length) throw new Error("truncated tar archive");
    const data = bytes.slice(dataStart, dataStart + size);
    off = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    if (typeflag === "L") {
      longName = str(data, 0, data.length);
      continue;
    }
    if (typeflag === "K") {
      longLink = str(data, 0, data.length);
      continue;
    }
    if (typeflag === "x") {
      pax = parsePax(data);
      continue;
    }
    if (typeflag === "g") continue;

    const magic = str(h, 257, 6);
    const prefix = magic.startsWith("ustar") ? str(h, 345, 155) : "";
    let name = str(h, 0, 100);
    if (prefix) name = `${prefix}/${name}`;
    name = pax["path"] ?? longName ?? name;
    const linkname = pax["linkpath"] ?? longLink ?? str(h, 157, 100);
    longName = longLink = null;
    pax = {};

    let type: TarEntryType;
    if (typeflag === "0" || typeflag === "\0" || typeflag === "7") type = "file";
    else if (typeflag === "5") type = "dir";
    else if (typeflag === "2") type = "symlink";
    else continue; // hard links, devices, fifos: not kept
    entries.push({
      name,
      type,
      mode: octal(h, 100, 8) & 0o7777,
      mtime: octal(h, 136, 12),
      data: type === "file" ? data : new Uint8Array(0),
      linkname,
    });
  }
  return entries;
}

function putStr(h: Uint8Array, off: number, len: number, s: string) {
  const b = enc.encode(s);
  h.set(b.subarray(0, len), off);
}

function putOctal(h: Uint8Array, off: number, len: number, n: number) {
  putStr(h, off, len, n.toString(8).padStart(len - 1, "0") + "\0");
}

function header(name: string, typeflag: string, size: number, mode: number, mtime: number, linkname: string) {
  const h = new Uint8Array(BLOCK);
  putStr(h, 0, 100, name);
  putOctal(h, 100, 8, mode);
  putOctal(h, 108, 8, 0);
  putOctal(h, 116, 8, 0);
  putOctal(h, 124, 12, size);
  putOctal(h, 136, 12, mtime);
  h.fill(32, 148, 156);
  h[156] = typeflag.charCodeAt(0);
  putStr(h, 157, 100, linkname);
  putStr(h, 257, 6, "ustar\0");
  putStr(h, 263, 2, "00");
  putStr(h, 265, 32, "root");
  putStr(h, 297, 32, "root");
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += h[i]!;
  putStr(h, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  return h;
}

function padded(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / BLOCK) * BLOCK);
  out.set(data);
  return out;
}

/** Writes a tar archive (ustar; names or link targets over 100 bytes get a GNU long-name record). */
export function writeTar(entries: TarEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const nameBytes = enc.encode(e.name);
    if (nameBytes.length > 100) {
      const data = enc.encode(e.name + "\0");
      parts.push(header("././@LongLink", "L", data.length, 0, 0, ""), padded(data));
    }
    if (enc.encode(e.linkname).length > 100) {
      const data = enc.encode(e.linkname + "\0");
      parts.push(header("././@LongLink", "K", data.length, 0, 0, ""), padded(data));
    }
    const flag = e.type === "file" ? "0" : e.type === "dir" ? "5" : "2";
    const size = e.type === "file" ? e.data.length : 0;
    parts.push(header(e.name, flag, size, e.mode, e.mtime, e.linkname));
    if (size > 0) parts.push(padded(e.data));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
