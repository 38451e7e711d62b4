/**
 * A minimal tar reader for the bundles `opa build` writes (ustar, pax and GNU long names): regular files by
 * name, without a leading "/". Used for custom bundles and to take policy.wasm out of the built-in build.
 */
import { Buffer } from "node:buffer";

export class TarError extends Error {
  override name = "TarError";
}

export function readTar(tar: Buffer, origin = "bundle"): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const field = (h: Buffer, start: number, end: number): string => {
    const b = h.subarray(start, end);
    const z = b.indexOf(0);
    return b.subarray(0, z < 0 ? b.length : z).toString("utf8");
  };
  let offset = 0;
  let longName: string | null = null;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const sizeText = field(header, 124, 136).trim();
    if (!/^[0-7]*$/.test(sizeText)) throw new TarError(`${origin}: damaged tar header at byte ${offset}`);
    const size = sizeText === "" ? 0 : parseInt(sizeText, 8);
    const type = header[156] === 0 ? "0" : String.fromCharCode(header[156]!);
    const bodyStart = offset + 512;
    if (bodyStart + size > tar.length) throw new TarError(`${origin}: truncated tar file`);
    const body = tar.subarray(bodyStart, bodyStart + size);
    let name = field(header, 0, 100);
    const prefix = field(header, 345, 500);
    if (prefix) name = `${prefix}/${name}`;
    if (type === "x") {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString("utf8"));
      longName = m ? m[1]! : null;
    } else if (type === "L") {
      longName = field(body, 0, body.length);
    } else {
      if (longName !== null) name = longName;
      longName = null;
      if (type === "0" || type === "7") files.set(name.replace(/^\.?\/+/, ""), Buffer.from(body));
    }
    offset = bodyStart + Math.ceil(size / 512) * 512;
  }
  return files;
}
