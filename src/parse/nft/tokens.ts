/** Small facts about nft tokens that the reader and the statement recovery share. */
import type { NftLocation } from "../../model/nft.js";
import type { NftToken } from "../generated/nft.js";

/** A word of any class: plain, keyword (selector/statement, protocol, meta key) or verdict. */
export function isWord(t: NftToken): boolean {
  return t.type === "word" || t.type === "kw" || t.type === "proto" || t.type === "metakey" || t.type === "verdict";
}

export function location(t: NftToken): NftLocation {
  return { file: t.file, line: t.line, column: t.col };
}
