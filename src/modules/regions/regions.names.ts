/**
 * Region names as people write them: 常州 for 常州市, 新北 for 新北区, 江苏 for 江苏省,
 * 内蒙古 for 内蒙古自治区.
 */
const SUFFIXES = ['维吾尔自治区', '壮族自治区', '回族自治区', '自治区', '特别行政区', '自治州', '自治县', '地区', '新区', '省', '市', '区', '县', '盟', '旗'];

/** The short form of an official name; names of two characters keep their suffix (e.g. 城区). */
export function shortRegionName(name: string): string {
  for (const s of SUFFIXES) {
    if (name.endsWith(s) && name.length - s.length >= 2) return name.slice(0, -s.length);
  }
  return name;
}
