// Vietnamese-aware text folding for searches that ignore diacritics and case.

/** "Phường Tân Ninh" → "phuong tan ninh"; "Đức Hòa" → "duc hoa". */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
