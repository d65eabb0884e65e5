/**
 * Normalised keys for finding the same name written differently: full-width and half-width,
 * case, spaces and punctuation do not matter (牛津大学 = 牛津 大学; "EMAG Holding GmbH" =
 * "emag holding gmbh").
 */
export function nameKey(s: string | null | undefined): string {
  if (!s) return '';
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}
