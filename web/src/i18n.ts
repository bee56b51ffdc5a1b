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
  'nav.tokens': 'Mã truy cập API',
  'nav.admin': 'Quản trị',
  'nav.users': 'Người dùng',
  'nav.allTokens': 'Mọi mã truy cập',
  'nav.audit': 'Nhật ký kiểm toán',
  'nav.oversight': 'Giám sát',
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

  'session.remaining': 'Phiên còn {time}',
  'session.minutes': '{n} phút',
  'session.seconds': '{n} giây',
  'session.ended': 'Phiên đã hết hạn',
  'session.until': 'Phiên làm việc kết thúc lúc {time} nếu không có thao tác',
  'user.menu': 'Tài khoản {name}',
  'user.password': 'Đổi mật khẩu',
  'user.totp': 'Xác thực hai lớp',
  'user.logout': 'Đăng xuất',
  'user.logoutAll': 'Đăng xuất mọi nơi',
  'role.administrator': 'Quản trị viên',
  'role.officer': 'Cán bộ',
  'role.leader': 'Lãnh đạo',
  'role.auditor': 'Kiểm toán viên',
  'role.system': 'Hệ thống kết nối',
  'form.copy': 'Sao chép',
  'form.copied': 'Đã sao chép',
  'form.copyFailed': 'Không sao chép được',
  'forbidden.title': 'Không có quyền truy cập',
  'forbidden.body': 'Tài khoản của bạn không có quyền sử dụng trang này. Nếu cần, hãy liên hệ quản trị viên.',

  'login.title': 'Đăng nhập',
  'login.lead': 'Đăng nhập bằng tài khoản được quản trị viên cấp.',
  'login.name': 'Tên đăng nhập',
  'login.password': 'Mật khẩu',
  'login.submit': 'Đăng nhập',
  'login.totp': 'Mã xác thực (6 chữ số)',
  'login.totpLead': 'Tài khoản này dùng xác thực hai lớp. Nhập mã 6 chữ số trong ứng dụng xác thực trên điện thoại.',
  'login.verify': 'Xác nhận',
  'login.back': 'Quay lại',
  'login.expired': 'Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.',
  'login.signedOut': 'Bạn đã đăng xuất.',
  'login.invalid': 'Tên đăng nhập hoặc mật khẩu không đúng.',
  'login.totpInvalid': 'Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã mới nhất trong ứng dụng.',
  'login.locked': 'Tài khoản tạm thời bị khóa vì đăng nhập sai quá nhiều lần.',
  'login.lockedUntil': 'Tài khoản tạm thời bị khóa vì đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {time}.',
  'login.disabled': 'Tài khoản đã bị vô hiệu hóa. Vui lòng liên hệ quản trị viên.',
  'login.inactive': 'Tài khoản đã bị tạm ngưng vì lâu không sử dụng. Vui lòng liên hệ quản trị viên.',
  'login.rateLimited': 'Có quá nhiều lần thử. Vui lòng đợi một lát rồi thử lại.',

  'totp.title': 'Xác thực hai lớp',
  'totp.lead': 'Mỗi lần đăng nhập, ngoài mật khẩu bạn nhập thêm một mã 6 chữ số từ ứng dụng xác thực (ví dụ Google Authenticator, Microsoft Authenticator, FreeOTP).',
  'totp.required': 'Tài khoản quản trị phải bật xác thực hai lớp trước khi sử dụng hệ thống.',
  'totp.start': 'Bắt đầu thiết lập',
  'totp.restart': 'Thiết lập lại',
  'totp.restartLead': 'Khi đổi điện thoại, hãy thiết lập lại: mã QR mới thay cho mã cũ sau khi bạn xác nhận.',
  'totp.enrolled': 'Xác thực hai lớp đang được bật cho tài khoản này.',
  'totp.step1': 'Mở ứng dụng xác thực trên điện thoại.',
  'totp.step2': 'Quét mã QR, hoặc nhập khóa bí mật bên cạnh.',
  'totp.step3': 'Nhập mã 6 chữ số mà ứng dụng hiển thị để xác nhận.',
  'totp.qr': 'Mã QR để thêm tài khoản vào ứng dụng xác thực',
  'totp.manual': 'Không quét được? Nhập khóa bí mật này vào ứng dụng:',
  'totp.codeHint': 'Mã đổi sau mỗi 30 giây.',
  'totp.confirm': 'Xác nhận',
  'totp.done': 'Đã bật xác thực hai lớp.',

  'password.title': 'Đổi mật khẩu',
  'password.current': 'Mật khẩu hiện tại',
  'password.new': 'Mật khẩu mới',
  'password.repeat': 'Nhập lại mật khẩu mới',
  'password.policy': 'Ít nhất 14 ký tự (hoặc 8 ký tự nếu tài khoản bật xác thực hai lớp).',
  'password.policyTotp': 'Ít nhất 8 ký tự (tài khoản đã bật xác thực hai lớp).',
  'password.submit': 'Đổi mật khẩu',
  'password.mismatch': 'Hai lần nhập mật khẩu mới không khớp.',
  'password.wrong': 'Mật khẩu hiện tại không đúng.',
  'password.done': 'Đã đổi mật khẩu.',

  'picker.placeholder': 'Gõ tên hoặc mã, ví dụ: tan ninh',
  'picker.none': 'Không tìm thấy đơn vị nào.',
  'picker.remove': 'Bỏ {name}',

  'users.title': 'Người dùng',
  'users.lead': 'Tài khoản, vai trò theo đơn vị và trạng thái đăng nhập.',
  'users.new': 'Tạo tài khoản',
  'users.name': 'Tên đăng nhập',
  'users.nameHint': '3–64 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới.',
  'users.displayName': 'Họ và tên',
  'users.password': 'Mật khẩu ban đầu',
  'users.grant': 'Vai trò',
  'users.role': 'Vai trò',
  'users.unit': 'Đơn vị',
  'users.unitHint': 'Để trống: toàn tỉnh. Cán bộ phải có đơn vị.',
  'users.includeBelow': 'Gồm cả các đơn vị trực thuộc',
  'users.addGrant': '+ Thêm vai trò',
  'users.removeGrant': 'Bỏ vai trò này',
  'users.officerNeedsUnit': 'Vai trò cán bộ cần chọn đơn vị.',
  'users.create': 'Tạo tài khoản',
  'users.created': 'Đã tạo tài khoản {name}.',
  'users.account': 'Tài khoản',
  'users.roles': 'Vai trò',
  'users.status': 'Trạng thái',
  'users.totp': 'Xác thực hai lớp',
  'users.lastActive': 'Hoạt động gần nhất',
  'users.actions': 'Thao tác',
  'users.active': 'Đang hoạt động',
  'users.locked': 'Đang bị khóa',
  'users.lockedUntil': 'Bị khóa đến {time}',
  'users.disabled': 'Đã vô hiệu hóa',
  'users.totpOn': 'Đã bật',
  'users.totpOff': 'Chưa bật',
  'users.system': 'hệ thống',
  'users.enable': 'Kích hoạt lại',
  'users.unlock': 'Mở khóa',
  'users.disable': 'Vô hiệu hóa',
  'users.wholeProvince': 'toàn tỉnh',
  'users.andBelow': 'và trực thuộc',

  'tokens.title': 'Mã truy cập API của tôi',
  'tokens.lead': 'Mã truy cập cho phép chương trình gọi API thay cho bạn, với quyền không vượt quá quyền của tài khoản.',
  'tokens.allTitle': 'Mọi mã truy cập',
  'tokens.allLead': 'Mã truy cập của tất cả tài khoản. Thu hồi ngay mã bị lộ hoặc không còn dùng.',
  'tokens.new': 'Tạo mã truy cập',
  'tokens.name': 'Tên gợi nhớ',
  'tokens.namePlaceholder': 'Ví dụ: đồng bộ số liệu dân số',
  'tokens.lifetime': 'Thời hạn',
  'tokens.days': '{n} ngày',
  'tokens.permissions': 'Quyền',
  'tokens.permissionsHint': 'Không chọn quyền nào: mọi quyền của tài khoản.',
  'tokens.units': 'Đơn vị',
  'tokens.unitsHint': 'Không chọn đơn vị nào: mọi đơn vị của tài khoản.',
  'tokens.create': 'Tạo mã',
  'tokens.onceTitle': 'Hãy sao chép mã này ngay.',
  'tokens.once': 'Mã chỉ hiển thị một lần và không thể xem lại; ai có mã này sẽ dùng được quyền của nó.',
  'tokens.secret': 'Mã truy cập mới',
  'tokens.dismiss': 'Tôi đã lưu mã, ẩn đi',
  'tokens.account': 'Tài khoản',
  'tokens.created': 'Ngày tạo',
  'tokens.expires': 'Hết hạn',
  'tokens.lastUsed': 'Dùng gần nhất',
  'tokens.state': 'Trạng thái',
  'tokens.never': 'Chưa dùng',
  'tokens.allPermissions': 'Mọi quyền của tài khoản',
  'tokens.allUnits': 'Mọi đơn vị của tài khoản',
  'tokens.active': 'Còn hiệu lực',
  'tokens.expired': 'Hết hạn',
  'tokens.revoked': 'Đã thu hồi',
  'tokens.revoke': 'Thu hồi',
  'tokens.none': 'Chưa có mã truy cập nào.',

  'audit.title': 'Nhật ký kiểm toán',
  'audit.lead': 'Mọi lần đăng nhập, thay đổi dữ liệu và phân quyền, mới nhất trước. Nhật ký được nối chuỗi băm nên không thể sửa mà không bị phát hiện.',
  'audit.verify': 'Kiểm tra tính toàn vẹn của chuỗi',
  'audit.verifyLead': 'Tính lại chuỗi băm và chữ ký các điểm kiểm tra của toàn bộ nhật ký.',
  'audit.verifyOk': 'Chuỗi nhật ký toàn vẹn: {entries} mục, {checkpoints} điểm kiểm tra.',
  'audit.verifyBad': 'Chuỗi nhật ký bị sai lệch từ mục #{seq}: {problem}',
  'audit.actor': 'Người thực hiện',
  'audit.action': 'Hành động',
  'audit.from': 'Từ ngày',
  'audit.to': 'Đến ngày',
  'audit.filter': 'Lọc',
  'audit.at': 'Thời điểm',
  'audit.target': 'Đối tượng',
  'audit.remote': 'Địa chỉ',
  'audit.details': 'Chi tiết',
  'audit.requestId': 'Mã yêu cầu',
  'audit.anonymous': 'chưa đăng nhập',
  'audit.none': 'Không có mục nào khớp với bộ lọc.',
  'audit.pages': 'Trang nhật ký',
  'audit.newest': 'Mới nhất',
  'audit.older': 'Cũ hơn',
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
  'nav.tokens': 'API tokens',
  'nav.admin': 'Administration',
  'nav.users': 'Users',
  'nav.allTokens': 'All tokens',
  'nav.audit': 'Audit log',
  'nav.oversight': 'Oversight',
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

  'session.remaining': 'Session: {time} left',
  'session.minutes': '{n} min',
  'session.seconds': '{n} s',
  'session.ended': 'Session expired',
  'session.until': 'Without activity the session ends at {time}',
  'user.menu': 'Account {name}',
  'user.password': 'Change password',
  'user.totp': 'Two-factor authentication',
  'user.logout': 'Sign out',
  'user.logoutAll': 'Sign out everywhere',
  'role.administrator': 'Administrator',
  'role.officer': 'Officer',
  'role.leader': 'Leader',
  'role.auditor': 'Auditor',
  'role.system': 'Connected system',
  'form.copy': 'Copy',
  'form.copied': 'Copied',
  'form.copyFailed': 'Could not copy',
  'forbidden.title': 'Access denied',
  'forbidden.body': 'Your account may not use this page. Contact an administrator if you need it.',

  'login.title': 'Sign in',
  'login.lead': 'Sign in with the account an administrator gave you.',
  'login.name': 'User name',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.totp': 'Authentication code (6 digits)',
  'login.totpLead': 'This account uses two-factor authentication. Enter the 6-digit code from the authenticator app on your phone.',
  'login.verify': 'Verify',
  'login.back': 'Back',
  'login.expired': 'Your session expired. Please sign in again.',
  'login.signedOut': 'You have signed out.',
  'login.invalid': 'Wrong user name or password.',
  'login.totpInvalid': 'The code is wrong or has expired. Enter the newest code from the app.',
  'login.locked': 'The account is locked for a while after too many failed sign-ins.',
  'login.lockedUntil': 'The account is locked after too many failed sign-ins. Please try again after {time}.',
  'login.disabled': 'The account is disabled. Please contact an administrator.',
  'login.inactive': 'The account was suspended because it was not used for a long time. Please contact an administrator.',
  'login.rateLimited': 'Too many attempts. Please wait a moment and try again.',

  'totp.title': 'Two-factor authentication',
  'totp.lead': 'Each sign-in asks, besides the password, for a 6-digit code from an authenticator app (e.g. Google Authenticator, Microsoft Authenticator, FreeOTP).',
  'totp.required': 'Administrator accounts must turn on two-factor authentication before using the system.',
  'totp.start': 'Start set-up',
  'totp.restart': 'Set up again',
  'totp.restartLead': 'When you change phones, set it up again: the new QR code replaces the old one once you confirm.',
  'totp.enrolled': 'Two-factor authentication is on for this account.',
  'totp.step1': 'Open the authenticator app on your phone.',
  'totp.step2': 'Scan the QR code, or type in the secret key next to it.',
  'totp.step3': 'Enter the 6-digit code the app shows to confirm.',
  'totp.qr': 'QR code that adds the account to an authenticator app',
  'totp.manual': 'Cannot scan? Type this secret key into the app:',
  'totp.codeHint': 'The code changes every 30 seconds.',
  'totp.confirm': 'Confirm',
  'totp.done': 'Two-factor authentication is on.',

  'password.title': 'Change password',
  'password.current': 'Current password',
  'password.new': 'New password',
  'password.repeat': 'Repeat the new password',
  'password.policy': 'At least 14 characters (or 8 when the account uses two-factor authentication).',
  'password.policyTotp': 'At least 8 characters (the account uses two-factor authentication).',
  'password.submit': 'Change password',
  'password.mismatch': 'The two new passwords differ.',
  'password.wrong': 'The current password is wrong.',
  'password.done': 'Password changed.',

  'picker.placeholder': 'Type a name or code, e.g. tan ninh',
  'picker.none': 'No unit found.',
  'picker.remove': 'Remove {name}',

  'users.title': 'Users',
  'users.lead': 'Accounts, their roles at units, and their sign-in status.',
  'users.new': 'Create an account',
  'users.name': 'User name',
  'users.nameHint': '3–64 characters: lower-case letters without accents, digits, dot, hyphen, underscore.',
  'users.displayName': 'Full name',
  'users.password': 'Initial password',
  'users.grant': 'Role',
  'users.role': 'Role',
  'users.unit': 'Unit',
  'users.unitHint': 'Empty: the whole province. Officers need a unit.',
  'users.includeBelow': 'Including subordinate units',
  'users.addGrant': '+ Add a role',
  'users.removeGrant': 'Remove this role',
  'users.officerNeedsUnit': 'The officer role needs a unit.',
  'users.create': 'Create account',
  'users.created': 'Account {name} created.',
  'users.account': 'Account',
  'users.roles': 'Roles',
  'users.status': 'Status',
  'users.totp': 'Two-factor',
  'users.lastActive': 'Last active',
  'users.actions': 'Actions',
  'users.active': 'Active',
  'users.locked': 'Locked',
  'users.lockedUntil': 'Locked until {time}',
  'users.disabled': 'Disabled',
  'users.totpOn': 'On',
  'users.totpOff': 'Off',
  'users.system': 'system',
  'users.enable': 'Enable',
  'users.unlock': 'Unlock',
  'users.disable': 'Disable',
  'users.wholeProvince': 'whole province',
  'users.andBelow': 'and below',

  'tokens.title': 'My API tokens',
  'tokens.lead': 'A token lets a program call the API on your behalf, with no more rights than your account.',
  'tokens.allTitle': 'All tokens',
  'tokens.allLead': 'The tokens of every account. Revoke at once any token that leaked or is no longer used.',
  'tokens.new': 'Create a token',
  'tokens.name': 'Name',
  'tokens.namePlaceholder': 'e.g. population sync',
  'tokens.lifetime': 'Lifetime',
  'tokens.days': '{n} days',
  'tokens.permissions': 'Permissions',
  'tokens.permissionsHint': 'None chosen: all of the account\'s permissions.',
  'tokens.units': 'Units',
  'tokens.unitsHint': 'None chosen: all of the account\'s units.',
  'tokens.create': 'Create token',
  'tokens.onceTitle': 'Copy this token now.',
  'tokens.once': 'It is shown only once and cannot be seen again; whoever has it can use its rights.',
  'tokens.secret': 'New token',
  'tokens.dismiss': 'I have saved it, hide',
  'tokens.account': 'Account',
  'tokens.created': 'Created',
  'tokens.expires': 'Expires',
  'tokens.lastUsed': 'Last used',
  'tokens.state': 'Status',
  'tokens.never': 'Never',
  'tokens.allPermissions': 'All of the account\'s',
  'tokens.allUnits': 'All of the account\'s',
  'tokens.active': 'Active',
  'tokens.expired': 'Expired',
  'tokens.revoked': 'Revoked',
  'tokens.revoke': 'Revoke',
  'tokens.none': 'No tokens yet.',

  'audit.title': 'Audit log',
  'audit.lead': 'Every sign-in, data change and permission change, newest first. The log is hash-chained, so it cannot be altered unnoticed.',
  'audit.verify': 'Verify the chain',
  'audit.verifyLead': 'Recomputes the hash chain and the checkpoint signatures of the whole log.',
  'audit.verifyOk': 'The log is intact: {entries} entries, {checkpoints} checkpoints.',
  'audit.verifyBad': 'The chain is broken from entry #{seq}: {problem}',
  'audit.actor': 'Actor',
  'audit.action': 'Action',
  'audit.from': 'From',
  'audit.to': 'To',
  'audit.filter': 'Filter',
  'audit.at': 'Time',
  'audit.target': 'Target',
  'audit.remote': 'Address',
  'audit.details': 'Details',
  'audit.requestId': 'Request ID',
  'audit.anonymous': 'not signed in',
  'audit.none': 'No entries match the filter.',
  'audit.pages': 'Log pages',
  'audit.newest': 'Newest',
  'audit.older': 'Older',
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

/** An ISO instant in local time: 22/11/2025 14:05 (vi) or 22 Nov 2025, 14:05 (en). */
export function fmtDateTime(iso: string | null | undefined, seconds = false): string {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return iso || t('state.none');
  return new Intl.DateTimeFormat(locale(), {
    day: current === 'vi' ? '2-digit' : 'numeric',
    month: current === 'vi' ? '2-digit' : 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: seconds ? '2-digit' : undefined,
    hourCycle: 'h23',
  }).format(d);
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
