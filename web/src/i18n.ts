// UI strings in Vietnamese (default) and English, the current language, and Intl formatting.

export type Lang = 'vi' | 'en';

const vi = {
  'app.product': 'Trung tâm điều hành thông minh',
  'app.brand': 'pdh · Kho dữ liệu tỉnh',
  'app.skip': 'Chuyển đến nội dung chính',
  'lang.label': 'Ngôn ngữ',
  'lang.vi': 'Tiếng Việt',
  'lang.en': 'English',
  'nav.label': 'Điều hướng chính',
  'nav.overview': 'Tổng quan',
  'nav.units': 'Đơn vị hành chính',
  'state.loading': 'Đang tải dữ liệu…',
  'state.empty': 'Không có dữ liệu.',
  'state.none': '—',
  'error.title': 'Đã xảy ra lỗi',
  'error.dismiss': 'Đóng thông báo',
  'error.network': 'Không kết nối được với máy chủ.',
  'error.badResponse': 'Máy chủ trả về dữ liệu không hợp lệ.',
  'error.retry': 'Thử lại',
  'error.notFound': 'Không tìm thấy dữ liệu',

  'overview.title': 'Tổng quan',
  'overview.lead': 'Số liệu tổng hợp của {province} từ danh mục đơn vị hành chính.',
  'overview.communes': 'Đơn vị hành chính cấp xã',
  'overview.communesDetail': '{count} đơn vị hành chính cấp xã: {parts}',
  'overview.population': 'Dân số',
  'overview.populationDetail': 'Tổng dân số của {count} đơn vị cấp xã',
  'overview.populationEstimated': 'trong đó {count} đơn vị có số liệu ước tính',
  'overview.populationMissing': '{count} đơn vị chưa có số liệu',
  'overview.area': 'Diện tích',
  'overview.areaDetail': 'Mật độ {density} người/km²',
  'overview.areaCommunes': 'Các xã, phường cộng lại: {area} km²',
  'overview.others': '{count} cơ quan, đơn vị khác',
  'overview.agencies': 'Sở, ban, ngành',
  'overview.agenciesDetail': 'Cơ quan chuyên môn và đơn vị trực thuộc tỉnh',
  'overview.chartTop': '{count} xã, phường đông dân nhất',
  'overview.chartByType': 'Dân số theo loại đơn vị',
  'overview.viewUnits': 'Xem tất cả đơn vị hành chính',

  'units.title': 'Đơn vị hành chính',
  'units.lead': 'Cây đơn vị của {province}: các xã, phường, đặc khu và các sở, ban, ngành.',
  'units.search': 'Tìm theo tên hoặc mã',
  'units.searchPlaceholder': 'Ví dụ: tan ninh',
  'units.type': 'Loại đơn vị',
  'units.typeAll': 'Tất cả',
  'units.shown': 'Hiển thị {shown} trên {total} đơn vị',
  'units.groupCommunes': 'Xã, phường, đặc khu',
  'units.groupAgencies': 'Sở, ban, ngành',
  'units.groupCount': '{count} đơn vị',
  'units.toggle': 'Thu gọn hoặc mở rộng nhóm {group}',
  'units.noMatch': 'Không có đơn vị nào khớp với bộ lọc.',
  'units.chart': 'Dân số theo đơn vị (theo bộ lọc)',
  'units.caption': 'Danh sách đơn vị trực thuộc {province}',
  'units.sortBy': 'Sắp xếp theo {column}',

  'col.name': 'Tên',
  'col.type': 'Loại',
  'col.code': 'Mã',
  'col.population': 'Dân số',
  'col.area': 'Diện tích (km²)',
  'col.density': 'Mật độ (người/km²)',

  'unit.facts': 'Thông tin chung',
  'unit.code': 'Mã đơn vị',
  'unit.type': 'Loại',
  'unit.level': 'Cấp',
  'unit.parent': 'Trực thuộc',
  'unit.population': 'Dân số',
  'unit.estimated': 'ước tính',
  'unit.area': 'Diện tích',
  'unit.density': 'Mật độ dân số',
  'unit.location': 'Tọa độ',
  'unit.validFrom': 'Hiệu lực từ',
  'unit.validTo': 'Hết hiệu lực từ',
  'unit.predecessors': 'Đơn vị trước sắp xếp (trước 01/07/2025)',
  'unit.predecessorsLead': '{count} xã, phường cũ được sắp xếp vào {unit}.',
  'unit.predecessorsNone': 'Không có đơn vị cũ nào được ghi nhận.',
  'unit.predecessorsCaption': 'Các đơn vị cấp xã cũ hợp thành {unit}',
  'unit.oldDistrict': 'Huyện cũ',
  'unit.mergeKind': 'Hình thức',
  'unit.note': 'Ghi chú',
  'unit.targets': 'Đã sắp xếp vào',
  'unit.children': 'Đơn vị trực thuộc',
  'unit.childrenLead': '{count} đơn vị trực thuộc.',
  'unit.childrenByType': 'Số đơn vị theo loại',
  'unit.openTree': 'Mở cây đơn vị',
  'unit.back': 'Quay lại danh sách đơn vị',
  'merge.whole': 'Toàn bộ',
  'merge.partial': 'Một phần',

  'level.province': 'Cấp tỉnh',
  'level.district': 'Cấp huyện',
  'level.commune': 'Cấp xã',
  'level.agency': 'Cơ quan, đơn vị',

  'notFound.title': 'Không tìm thấy trang',
  'notFound.body': 'Không có trang nào tại địa chỉ {path}.',
  'notFound.home': 'Về trang tổng quan',

  'unit.people': '{value} người',
  'unit.km2': '{value} km²',
  'unit.perKm2': '{value} người/km²',
} as const;

export type Key = keyof typeof vi;

const en: Record<Key, string> = {
  'app.product': 'Intelligent Operations Centre',
  'app.brand': 'pdh · Provincial Data Hub',
  'app.skip': 'Skip to main content',
  'lang.label': 'Language',
  'lang.vi': 'Tiếng Việt',
  'lang.en': 'English',
  'nav.label': 'Main navigation',
  'nav.overview': 'Overview',
  'nav.units': 'Administrative units',
  'state.loading': 'Loading data…',
  'state.empty': 'No data.',
  'state.none': '—',
  'error.title': 'Something went wrong',
  'error.dismiss': 'Dismiss message',
  'error.network': 'Cannot reach the server.',
  'error.badResponse': 'The server sent an invalid response.',
  'error.retry': 'Retry',
  'error.notFound': 'Not found',

  'overview.title': 'Overview',
  'overview.lead': 'Headline figures for {province} from the register of administrative units.',
  'overview.communes': 'Commune-level units',
  'overview.communesDetail': '{count} commune-level units: {parts}',
  'overview.population': 'Population',
  'overview.populationDetail': 'Total population of {count} commune-level units',
  'overview.populationEstimated': '{count} of them estimated',
  'overview.populationMissing': '{count} without data',
  'overview.area': 'Area',
  'overview.areaDetail': 'Density {density} people/km²',
  'overview.areaCommunes': 'Communes and wards add up to {area} km²',
  'overview.others': '{count} others',
  'overview.agencies': 'Departments and agencies',
  'overview.agenciesDetail': 'Specialised departments and provincial agencies',
  'overview.chartTop': 'The {count} most populous communes and wards',
  'overview.chartByType': 'Population by type of unit',
  'overview.viewUnits': 'See all administrative units',

  'units.title': 'Administrative units',
  'units.lead': 'Unit tree of {province}: its communes, wards and special zones, and its departments and agencies.',
  'units.search': 'Search by name or code',
  'units.searchPlaceholder': 'e.g. tan ninh',
  'units.type': 'Type of unit',
  'units.typeAll': 'All',
  'units.shown': 'Showing {shown} of {total} units',
  'units.groupCommunes': 'Communes, wards and special zones',
  'units.groupAgencies': 'Departments and agencies',
  'units.groupCount': '{count} units',
  'units.toggle': 'Collapse or expand the group {group}',
  'units.noMatch': 'No unit matches the filter.',
  'units.chart': 'Population by unit (follows the filter)',
  'units.caption': 'Units under {province}',
  'units.sortBy': 'Sort by {column}',

  'col.name': 'Name',
  'col.type': 'Type',
  'col.code': 'Code',
  'col.population': 'Population',
  'col.area': 'Area (km²)',
  'col.density': 'Density (people/km²)',

  'unit.facts': 'Facts',
  'unit.code': 'Unit code',
  'unit.type': 'Type',
  'unit.level': 'Level',
  'unit.parent': 'Part of',
  'unit.population': 'Population',
  'unit.estimated': 'estimated',
  'unit.area': 'Area',
  'unit.density': 'Population density',
  'unit.location': 'Coordinates',
  'unit.validFrom': 'Valid from',
  'unit.validTo': 'Valid until',
  'unit.predecessors': 'Units before the reorganisation (before 1 July 2025)',
  'unit.predecessorsLead': '{count} former communes and wards merged into {unit}.',
  'unit.predecessorsNone': 'No former units are recorded.',
  'unit.predecessorsCaption': 'Former commune-level units that form {unit}',
  'unit.oldDistrict': 'Former district',
  'unit.mergeKind': 'Merge',
  'unit.note': 'Note',
  'unit.targets': 'Merged into',
  'unit.children': 'Subordinate units',
  'unit.childrenLead': '{count} subordinate units.',
  'unit.childrenByType': 'Units by type',
  'unit.openTree': 'Open the unit tree',
  'unit.back': 'Back to the unit list',
  'merge.whole': 'Whole',
  'merge.partial': 'Partial',

  'level.province': 'Province',
  'level.district': 'District',
  'level.commune': 'Commune level',
  'level.agency': 'Agency',

  'notFound.title': 'Page not found',
  'notFound.body': 'There is no page at {path}.',
  'notFound.home': 'Go to the overview',

  'unit.people': '{value} people',
  'unit.km2': '{value} km²',
  'unit.perKm2': '{value} people/km²',
};

const dictionaries: Record<Lang, Record<Key, string>> = { vi, en };
const locales: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' };
const storageKey = 'pdh.lang';

function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(storageKey);
    if (stored === 'vi' || stored === 'en') return stored;
  } catch {
    // storage unavailable (private mode): fall back to the default
  }
  return 'vi';
}

let current: Lang = initialLang();
const listeners = new Set<() => void>();

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  try {
    localStorage.setItem(storageKey, next);
  } catch {
    // not persisted; the choice still applies to this page
  }
  document.documentElement.lang = next;
  listeners.forEach((fn) => fn());
}

export function onLangChange(fn: () => void): void {
  listeners.add(fn);
}

/** The string for `key` in the current language, with `{name}` placeholders filled in. */
export function t(key: Key, params: Record<string, string | number> = {}): string {
  return dictionaries[current][key].replace(/\{(\w+)\}/g, (_, name: string) =>
    name in params ? String(params[name]) : `{${name}}`,
  );
}

export function locale(): string {
  return locales[current];
}

const formatters = new Map<string, Intl.NumberFormat>();
function numberFormat(digits: number): Intl.NumberFormat {
  const key = `${current}:${digits}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits });
    formatters.set(key, f);
  }
  return f;
}

/** A whole number, e.g. 3.254.170 (vi) or 3,254,170 (en); "—" when absent. */
export function fmtInt(n: number | null | undefined): string {
  return n == null || !Number.isFinite(n) ? t('state.none') : numberFormat(0).format(n);
}

/** A number with fixed decimals, e.g. an area 8.536,44 (vi) or 8,536.44 (en). */
export function fmtDec(n: number | null | undefined, digits = 2): string {
  return n == null || !Number.isFinite(n) ? t('state.none') : numberFormat(digits).format(n);
}

/** An ISO date (YYYY-MM-DD) as 01/07/2025 (vi) or 1 July 2025 (en). */
export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return t('state.none');
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  const options: Intl.DateTimeFormatOptions =
    current === 'vi'
      ? { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }
      : { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale(), options).format(Date.UTC(y, m - 1, d));
}

/** A list such as "14 phường, 82 xã" / "14 wards and 82 communes". */
export function fmtList(parts: string[]): string {
  return new Intl.ListFormat(locale(), { style: 'long', type: 'conjunction' }).format(parts);
}

// Unit types arrive from the API as Vietnamese labels; English names for the known ones.
const typeNames: Record<string, { vi: string; en: [string, string] }> = {
  'Tỉnh': { vi: 'tỉnh', en: ['Province', 'provinces'] },
  'Thành phố': { vi: 'thành phố', en: ['City', 'cities'] },
  'Huyện': { vi: 'huyện', en: ['District', 'districts'] },
  'Thị xã': { vi: 'thị xã', en: ['Town', 'towns'] },
  'Quận': { vi: 'quận', en: ['Urban district', 'urban districts'] },
  'Phường': { vi: 'phường', en: ['Ward', 'wards'] },
  'Xã': { vi: 'xã', en: ['Commune', 'communes'] },
  'Thị trấn': { vi: 'thị trấn', en: ['Township', 'townships'] },
  'Đặc khu': { vi: 'đặc khu', en: ['Special zone', 'special zones'] },
  'Sở': { vi: 'sở', en: ['Department', 'departments'] },
  'Ban': { vi: 'ban', en: ['Board', 'boards'] },
  'Văn phòng': { vi: 'văn phòng', en: ['Office', 'offices'] },
  'Thanh tra': { vi: 'thanh tra', en: ['Inspectorate', 'inspectorates'] },
  'Công an': { vi: 'công an', en: ['Police', 'police'] },
  'Bộ Chỉ huy': { vi: 'bộ chỉ huy', en: ['Military command', 'military commands'] },
  'Trung tâm': { vi: 'trung tâm', en: ['Centre', 'centres'] },
  'Đơn vị sự nghiệp': { vi: 'đơn vị sự nghiệp', en: ['Public service unit', 'public service units'] },
};

/** The display label of a unit type: the API's label in Vietnamese, its English name in English. */
export function typeLabel(type: string): string {
  const names = typeNames[type];
  return current === 'en' && names ? names.en[0] : type;
}

/** "14 phường" / "14 wards": a count of units of one type. */
export function typeCount(type: string, count: number): string {
  const names = typeNames[type];
  if (!names) return `${fmtInt(count)} ${type}`;
  if (current === 'vi') return `${fmtInt(count)} ${names.vi}`;
  const one = new Intl.PluralRules('en-GB').select(count) === 'one';
  return `${fmtInt(count)} ${one ? names.en[0].toLowerCase() : names.en[1]}`;
}
