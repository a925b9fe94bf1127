// Form validation for the offline field app: an ES module port of
// onestop/domain/forms.py (validate_field / validate_form).
//
// Why a port: support-team members fill forms in homes with no network, and
// the person in front of them should hear the same message the server would
// give.  The server still judges every synced dossier again; this file only
// spares a second visit.  Keep it in step with forms.py: the message catalog
// must stay word for word identical, and tests/unit/test_forms.py runs both
// implementations on a table of cases with node.
//
// Specs are the JSON of FormSchema.to_dict() / FieldSpec.to_dict().
// No dependencies, no build step.

/** Message templates: [vi, en].  {Label} = label as written, {label} = first letter lowered. */
export const MESSAGES = {
  required: ["Vui lòng nhập {label}.", "Please enter {label}."],
  required_choice: ["Vui lòng chọn {label}.", "Please choose {label}."],
  required_checkbox: ["Vui lòng đánh dấu vào ô “{Label}” để xác nhận.", "Please tick “{Label}” to confirm."],
  invalid: ["{Label} không hợp lệ.", "{Label} is not valid."],
  invalid_chars: [
    "{Label} có ký tự không hợp lệ. Vui lòng gõ lại.",
    "{Label} contains characters that are not allowed. Please type it again.",
  ],
  too_short: ["{Label} phải có ít nhất {n} ký tự.", "{Label} must have at least {n} characters."],
  too_long: ["{Label} chỉ được tối đa {n} ký tự.", "{Label} can have at most {n} characters."],
  pattern: ["{Label} không đúng định dạng.", "{Label} is not in the expected format."],
  number: ["{Label} phải là một số, ví dụ 12 hoặc 2,5.", "{Label} must be a number, for example 12 or 2.5."],
  number_grouped: [
    "Vui lòng nhập {label} không có dấu phân cách hàng nghìn, ví dụ 1000.",
    "Please enter {label} without thousands separators, for example 1000.",
  ],
  number_min: ["{Label} phải từ {min} trở lên.", "{Label} must be at least {min}."],
  number_max: ["{Label} không được lớn hơn {max}.", "{Label} must be at most {max}."],
  date: [
    "{Label} phải là ngày có thật, dạng ngày/tháng/năm, ví dụ 25/12/1990.",
    "{Label} must be a real date as day/month/year, for example 25/12/1990.",
  ],
  date_future: ["{Label} không được sau ngày hôm nay.", "{Label} cannot be later than today."],
  date_past: ["{Label} không được trước ngày hôm nay.", "{Label} cannot be earlier than today."],
  date_min: ["{Label} không được trước ngày {min}.", "{Label} cannot be earlier than {min}."],
  date_max: ["{Label} không được sau ngày {max}.", "{Label} cannot be later than {max}."],
  choice: ["Vui lòng chọn {label} trong danh sách.", "Please choose {label} from the list."],
  email: [
    "{Label} chưa đúng dạng địa chỉ email, ví dụ ten@gmail.com.",
    "{Label} is not a valid email address, for example name@gmail.com.",
  ],
  phone: [
    "{Label} chưa đúng. Vui lòng nhập số điện thoại Việt Nam, ví dụ 0912345678.",
    "{Label} is not right. Please enter a Vietnamese phone number, for example 0912345678.",
  ],
  nid_length: [
    "{Label} phải gồm đúng 12 chữ số, ví dụ 001090012345.",
    "{Label} must be exactly 12 digits, for example 001090012345.",
  ],
  nid_province: [
    "3 số đầu của {label} không phải mã tỉnh, thành phố. Vui lòng kiểm tra lại.",
    "The first 3 digits of {label} are not a province code. Please check it.",
  ],
  nid_future: [
    "Năm sinh ghi trong {label} chưa đến. Vui lòng kiểm tra lại số.",
    "The year of birth inside {label} is in the future. Please check the number.",
  ],
  nid_birth_year: [
    "{Label} không khớp với năm sinh {year} đã nhập. Vui lòng kiểm tra lại.",
    "{Label} does not match the year of birth {year} you entered. Please check it.",
  ],
  nid_gender: [
    "{Label} không khớp với giới tính đã chọn. Vui lòng kiểm tra lại.",
    "{Label} does not match the gender you chose. Please check it.",
  ],
  registry: [
    "{Label} được lấy từ Cơ sở dữ liệu quốc gia về dân cư nên không sửa ở đây. " +
      "Nếu sai, vui lòng đề nghị Công an cấp xã điều chỉnh.",
    "{Label} comes from the national population database and cannot be changed here. " +
      "If it is wrong, ask the commune police to correct it.",
  ],
  unknown_field: ["Mẫu đơn không có mục “{name}”.", "The form has no field “{name}”."],
};

/** Province codes of the 12-digit personal ID number (Circular 07/2016/TT-BCA). */
export const PROVINCE_CODES = new Set([
  "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022",
  "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042",
  "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060", "062", "064", "066",
  "067", "068", "070", "072", "074", "075", "077", "079", "080", "082", "083", "084", "086", "087",
  "089", "091", "092", "093", "094", "095", "096",
]);

export const DEFAULT_MAX_LENGTH = { text: 500, address: 500, textarea: 2000, email: 254 };
const TEXTLIKE = new Set(["text", "textarea", "address"]);
const HARD_MAX_LENGTH = 100000;

// Same explicit character classes as forms.py (JS \s and Python str.strip differ).
const WS = "[ \\t\\n\\r\\f\\v\\u00a0\\u1680\\u2000-\\u200b\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]";
const WS_RUN = new RegExp(WS + "+", "g");
const WS_EDGES = new RegExp("^" + WS + "+|" + WS + "+$", "g");
// "u" flag: a lone surrogate matches, a valid pair (emoji) is one code point and does not.
const CTRL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/u;
const ISO_DATE_RE = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$/;
const VN_DATE_RE = /^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$/;
const NUMBER_RE = /^([+-]?)([0-9]{1,15})(?:[.,]([0-9]{1,6}))?$/;
const GROUPED_RE = /^[+-]?[1-9][0-9]{0,2}(?:[., ][0-9]{3})+$/;
const EMAIL_RE =
  /^([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})$/;
const PHONE_SEP = new RegExp(WS + "|[.\\-()]", "g");
const PHONE_RE = /^(?:0[35789][0-9]{8}|02[0-9]{9})$/;
const NID_SEP = new RegExp(WS + "|[.\\-]", "g");
const TWELVE = /^[0-9]{12}$/;
const MIN_YEAR = 1800;
const MAX_YEAR = 2200;
const TRUE_WORDS = new Set(["true", "on", "1", "yes", "co", "có"]);
const FALSE_WORDS = new Set(["false", "off", "0", "no", "khong", "không", ""]);
const GENDER = { nam: "male", male: "male", m: "male", nu: "female", female: "female", f: "female" };

const hasOwn = (o, k) => o != null && Object.prototype.hasOwnProperty.call(o, k);
const isNum = (v) => typeof v === "number";

/** Today's date in Vietnam (UTC+7, no DST) as "YYYY-MM-DD". */
export function todayVn() {
  return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
}

// ------------------------------------------------------------------ messages

function lowerFirst(label) {
  const chars = Array.from(label);
  if (chars.length === 0) return label;
  if (chars.length > 1 && chars[1] !== chars[1].toLowerCase()) return label;
  return chars[0].toLowerCase() + chars.slice(1).join("");
}

function fmtNumber(x, lang) {
  const s = Number.isInteger(x) ? String(x) : x.toFixed(6).replace(/0+$/, "").replace(/\.$/, "");
  return lang === "vi" ? s.replace(".", ",") : s;
}

function fmtDate(iso) {
  const [y, m, d] = iso.split("-");
  return `${d}/${m}/${y}`;
}

function msg(code, spec, params = {}) {
  const out = [];
  MESSAGES[code].forEach((template, i) => {
    const lang = i === 0 ? "vi" : "en";
    const values = {};
    if (spec) {
      const label = lang === "vi" ? spec.label_vi : spec.label_en;
      values.Label = label;
      values.label = lowerFirst(label);
    }
    for (const [k, v] of Object.entries(params)) {
      values[k] = isNum(v) ? fmtNumber(v, lang) : String(v);
    }
    out.push(template.replace(/\{(\w+)\}/g, (_, k) => values[k]));
  });
  return { code, vi: out[0], en: out[1] };
}

// ------------------------------------------------------------------ normalisers

const singleLine = (s) => s.normalize("NFC").replace(WS_RUN, " ").replace(WS_EDGES, "");
const multiLine = (s) => s.normalize("NFC").replace(/\r\n/g, "\n").replace(/\r/g, "\n").replace(WS_EDGES, "");
const codePoints = (s) => Array.from(s).length;

function daysInMonth(y, m) {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function parseDate(s) {
  let y;
  let mo;
  let d;
  let m = ISO_DATE_RE.exec(s);
  if (m) {
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else {
    m = VN_DATE_RE.exec(s);
    if (!m) return null;
    [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  if (y < MIN_YEAR || y > MAX_YEAR || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return `${String(y).padStart(4, "0")}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function cleanPhone(s) {
  let digits = s.replace(PHONE_SEP, "");
  if (digits.startsWith("+84")) digits = "0" + digits.slice(3);
  else if (digits.startsWith("0084")) digits = "0" + digits.slice(4);
  else if (digits.startsWith("84") && (digits.length === 11 || digits.length === 12)) digits = "0" + digits.slice(2);
  if (digits.startsWith("00")) digits = digits.slice(1);
  return PHONE_RE.test(digits) ? digits : null;
}

/** Decode a clean 12-digit ID: {provinceCode, gender, birthYear} or null. */
export function parseNationalId(number) {
  if (typeof number !== "string" || !TWELVE.test(number) || !PROVINCE_CODES.has(number.slice(0, 3))) return null;
  const c = Number(number[3]);
  return {
    number,
    provinceCode: number.slice(0, 3),
    gender: c % 2 ? "female" : "male",
    birthYear: (19 + Math.floor(c / 2)) * 100 + Number(number.slice(4, 6)),
  };
}

// ------------------------------------------------------------------ field validation

function effectiveMaxLength(spec) {
  if (spec.max_length != null) return spec.max_length;
  return DEFAULT_MAX_LENGTH[spec.type] ?? null;
}

function empty(spec) {
  if (!spec.required) return [null, null];
  return [null, msg(spec.type === "select" ? "required_choice" : "required", spec)];
}

/**
 * Clean one value: [clean, null] when valid, [null, null] for an empty
 * optional field, [null, message] when invalid.  Never throws.
 * opts.today: "YYYY-MM-DD" (defaults to today in Vietnam).
 */
export function validateField(spec, raw, opts = {}) {
  const today = opts.today ?? todayVn();
  const t = spec.type;
  if (t === "checkbox") return validateCheckbox(spec, raw);
  if (raw === null || raw === undefined) return empty(spec);
  if (t === "number") return validateNumber(spec, raw);
  if (t === "select" && isNum(raw) && Number.isInteger(raw)) raw = String(raw);
  if (typeof raw !== "string") return [null, msg("invalid", spec)];
  if (raw.length > HARD_MAX_LENGTH) return [null, msg("too_long", spec, { n: effectiveMaxLength(spec) ?? HARD_MAX_LENGTH })];
  const s = t === "textarea" ? multiLine(raw) : singleLine(raw);
  if (s === "") return empty(spec);
  if (CTRL.test(s)) return [null, msg("invalid_chars", spec)];
  if (TEXTLIKE.has(t)) return validateText(spec, s);
  if (t === "date") return validateDate(spec, s, today);
  if (t === "select") {
    return spec.options.some((o) => o.value === s) ? [s, null] : [null, msg("choice", spec)];
  }
  if (t === "email") return validateEmail(spec, s);
  if (t === "phone") {
    const phone = cleanPhone(s);
    return phone ? [phone, null] : [null, msg("phone", spec)];
  }
  if (t === "national_id") return validateNationalId(spec, s, today);
  return [null, msg("invalid", spec)];
}

// A yes/no box's answer (absent = not ticked), or null when unreadable: forms._box_state.
function boxState(raw) {
  if (raw === null || raw === undefined) return false;
  if (typeof raw === "boolean") return raw;
  if (isNum(raw) && (raw === 0 || raw === 1)) return raw === 1;
  if (typeof raw === "string" && TRUE_WORDS.has(singleLine(raw).toLowerCase())) return true;
  if (typeof raw === "string" && FALSE_WORDS.has(singleLine(raw).toLowerCase())) return false;
  return null;
}

function validateCheckbox(spec, raw) {
  const value = boxState(raw);
  if (value === null) return [null, msg("invalid", spec)];
  if (spec.required && !value) return [null, msg("required_checkbox", spec)];
  return [value, null];
}

function validateNumber(spec, raw) {
  let value;
  if (isNum(raw)) {
    if (!Number.isFinite(raw) || Math.abs(raw) >= 1e15) return [null, msg("number", spec)];
    value = raw;
  } else if (typeof raw === "string") {
    if (raw.length > 200) return [null, msg("number", spec)];
    const s = singleLine(raw);
    if (s === "") return empty(spec);
    if (GROUPED_RE.test(s)) return [null, msg("number_grouped", spec)];
    const m = NUMBER_RE.exec(s);
    if (!m) return [null, msg("number", spec)];
    value = Number(`${m[1]}${m[2]}.${m[3] || "0"}`);
  } else {
    return [null, msg("number", spec)];
  }
  if (Object.is(value, -0)) value = 0;
  if (spec.min_value != null && value < spec.min_value) return [null, msg("number_min", spec, { min: spec.min_value })];
  if (spec.max_value != null && value > spec.max_value) return [null, msg("number_max", spec, { max: spec.max_value })];
  return [value, null];
}

function validateText(spec, s) {
  const n = codePoints(s);
  if (spec.min_length != null && n < spec.min_length) return [null, msg("too_short", spec, { n: spec.min_length })];
  const cap = effectiveMaxLength(spec);
  if (cap != null && n > cap) return [null, msg("too_long", spec, { n: cap })];
  if (spec.pattern != null) {
    let ok = false;
    try {
      ok = new RegExp("^(?:" + spec.pattern + ")$", "u").test(s);
    } catch {
      ok = true; // a pattern this engine cannot compile: leave the judgement to the server
    }
    if (!ok) return [null, msg("pattern", spec)];
  }
  return [s, null];
}

function validateDate(spec, s, today) {
  const iso = parseDate(s);
  if (iso === null) return [null, msg("date", spec)];
  const lo = spec.min_value;
  const hi = spec.max_value;
  if (lo != null && iso < (lo === "today" ? today : lo)) {
    return [null, lo === "today" ? msg("date_past", spec) : msg("date_min", spec, { min: fmtDate(lo) })];
  }
  if (hi != null && iso > (hi === "today" ? today : hi)) {
    return [null, hi === "today" ? msg("date_future", spec) : msg("date_max", spec, { max: fmtDate(hi) })];
  }
  return [iso, null];
}

function validateEmail(spec, s) {
  const cap = effectiveMaxLength(spec) ?? 254;
  if (codePoints(s) > cap) return [null, msg("too_long", spec, { n: cap })];
  const m = EMAIL_RE.exec(s);
  if (!m || m[1].length > 64) return [null, msg("email", spec)];
  if (spec.min_length != null && codePoints(s) < spec.min_length) return [null, msg("too_short", spec, { n: spec.min_length })];
  return [`${m[1]}@${m[2].toLowerCase()}`, null];
}

function validateNationalId(spec, s, today) {
  const digits = s.replace(NID_SEP, "");
  if (!TWELVE.test(digits)) return [null, msg("nid_length", spec)];
  if (!PROVINCE_CODES.has(digits.slice(0, 3))) return [null, msg("nid_province", spec)];
  if (parseNationalId(digits).birthYear > Number(today.slice(0, 4))) return [null, msg("nid_future", spec)];
  return [digits, null];
}

// ------------------------------------------------------------------ form validation

function fieldByName(schema, name) {
  return schema.fields.find((f) => f.name === name) ?? null;
}

function partner(schema, idSpec, suffix, source) {
  if (idSpec.autofill === "resident.national_id") {
    const hit = schema.fields.find((f) => f.autofill === source);
    if (hit) return hit;
  }
  if (idSpec.name.endsWith("national_id")) {
    return fieldByName(schema, idSpec.name.slice(0, -"national_id".length) + suffix);
  }
  return null;
}

const foldAscii = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/đ/g, "d");

// A field's show_if ({field, equals} | {field, in}) names an earlier choice list (string values) or
// optional yes/no box (true/false): the field applies only while that field (itself shown) holds one
// of the values.  Same rule as forms.shown_fields.
function conditionValues(c) {
  return hasOwn(c, "in") ? c.in : [c.equals];
}

function isShown(spec, shown, values) {
  const c = spec.show_if;
  if (c == null) return true;
  if (!shown.has(c.field)) return false;
  let v = hasOwn(values, c.field) ? values[c.field] : null;
  const wanted = conditionValues(c);
  if (typeof wanted[0] === "boolean") {
    const state = boxState(v);
    return state !== null && wanted.includes(state);
  }
  if (isNum(v) && Number.isInteger(v)) v = String(v);
  return typeof v === "string" && conditionValues(c).includes(singleLine(v));
}

/** Names of the fields that apply given these answers (raw or clean): a Set. */
export function shownFields(schema, values) {
  const shown = new Set();
  for (const spec of schema.fields) if (isShown(spec, shown, values)) shown.add(spec.name);
  return shown;
}

/**
 * Judge a whole form: {clean, errors}.  Same rules as forms.validate_form:
 * unknown keys are errors and never clean; empty optional fields are omitted;
 * national ID cross-checked with the same person's birth year and gender;
 * opts.prefill (registry values by autofill source) wins for
 * registry_authoritative fields; a field whose show_if is unmet (on the
 * clean value of its earlier choice list) is skipped and its value dropped.
 */
export function validateForm(schema, data, opts = {}) {
  const today = opts.today ?? todayVn();
  const prefill = opts.prefill ?? null;
  const clean = {};
  const errors = {};
  const known = new Set(schema.fields.map((f) => f.name));
  for (const key of Object.keys(data)) {
    if (!known.has(key)) errors[key] = msg("unknown_field", null, { name: key.slice(0, 40) });
  }
  const shown = new Set();
  for (const spec of schema.fields) {
    if (!isShown(spec, shown, clean)) continue;
    shown.add(spec.name);
    let raw = hasOwn(data, spec.name) ? data[spec.name] : null;
    let expected = null;
    const fromRegistry = spec.registry_authoritative && prefill !== null && hasOwn(prefill, spec.autofill);
    if (fromRegistry) {
      const [value, bad] = validateField(spec, prefill[spec.autofill], { today });
      expected = bad === null ? value : null;
    }
    if (expected !== null && (raw === null || raw === undefined || (typeof raw === "string" && singleLine(raw) === ""))) {
      raw = prefill[spec.autofill];
    }
    let [value, err] = validateField(spec, raw, { today });
    if (err === null && expected !== null && value !== expected) err = msg("registry", spec);
    if (err !== null) errors[spec.name] = err;
    else if (value !== null) clean[spec.name] = value;
  }
  crossCheckIds(schema, clean, errors);
  return { clean, errors, ok: Object.keys(errors).length === 0 };
}

function crossCheckIds(schema, clean, errors) {
  for (const spec of schema.fields) {
    if (spec.type !== "national_id" || !hasOwn(clean, spec.name)) continue;
    const nid = parseNationalId(String(clean[spec.name]));
    if (nid === null) continue;
    const dob = partner(schema, spec, "date_of_birth", "resident.date_of_birth");
    if (dob && dob.type === "date" && hasOwn(clean, dob.name)) {
      const year = Number(String(clean[dob.name]).slice(0, 4));
      if (year !== nid.birthYear) {
        errors[spec.name] = msg("nid_birth_year", spec, { year: String(year) });
        delete clean[spec.name];
        continue;
      }
    }
    const gender = partner(schema, spec, "gender", "resident.gender");
    if (gender && hasOwn(clean, gender.name)) {
      const folded = foldAscii(String(clean[gender.name]));
      const said = hasOwn(GENDER, folded) ? GENDER[folded] : undefined;
      if (said !== undefined && said !== nid.gender) {
        errors[spec.name] = msg("nid_gender", spec);
        delete clean[spec.name];
      }
    }
  }
}

/** Initial form data from known sources (registry, e-identity), by field name. */
export function autofillValues(schema, sources) {
  const out = {};
  for (const f of schema.fields) {
    if (f.autofill != null && hasOwn(sources, f.autofill)) out[f.name] = sources[f.autofill];
  }
  return out;
}
