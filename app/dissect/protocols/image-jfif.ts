// JPEG File Interchange Format (ITU-T T.81 markers, JFIF 1.02's APP0, Exif's APP1), as tshark
// 4.0's file-jpeg.c shows an image body: a walk over the markers, each segment as an item —
// "Marker segment" with its marker, length and "Remaining segment data: N bytes" by default;
// JFIF/JFXX fields for APP0; the TIFF header and image file directories (with the Exif, GPS and
// interoperability ones they point to) for an Exif APP1; frame and scan headers for SOFn and
// SOS; the text of a comment — and the bytes between segments as an entropy-coded segment.
// HTTP calls it for image/jpeg, image/jpg and image/jfif (not image/pjpeg: tshark 4.0 has no
// dissector for that type) and, by its signature (SOI, then "JFIF" or "Exif" at byte 6), for a
// body of any type no dissector took.
import { defineFields, type FieldDef } from '../field.js';
import { defineProtocol, registerHeuristic, registerMediaType } from '../dispatch.js';
import type { PacketContext } from '../packet.js';
import type { FieldNode } from '../tree.js';
import type { Tvb } from '../tvb.js';

const MARKERS: Readonly<Record<number, string>> = (() => {
  const m: Record<number, string> = {
    0xff01: 'Reserved - For temporary private use in arithmetic coding',
    0xffc0: 'Start of Frame (non-differential, Huffman coding) - Baseline DCT',
    0xffc1: 'Start of Frame (non-differential, Huffman coding) - Extended sequential DCT',
    0xffc2: 'Start of Frame (non-differential, Huffman coding) - Progressive DCT',
    0xffc3: 'Start of Frame (non-differential, Huffman coding) - Lossless (sequential)',
    0xffc4: 'Define Huffman table(s)',
    0xffc5: 'Start of Frame (differential, Huffman coding) - Differential sequential DCT',
    0xffc6: 'Start of Frame (differential, Huffman coding) - Differential progressive DCT',
    0xffc7: 'Start of Frame (differential, Huffman coding) - Differential lossless (sequential)',
    0xffc8: 'Start of Frame (non-differential, arithmetic coding) - Reserved for JPEG extensions',
    0xffc9: 'Start of Frame (non-differential, arithmetic coding) - Extended sequential DCT',
    0xffca: 'Start of Frame (non-differential, arithmetic coding) - Progressive DCT',
    0xffcb: 'Start of Frame (non-differential, arithmetic coding) - Lossless (sequential)',
    0xffcc: 'Define arithmetic coding conditioning(s)',
    0xffcd: 'Start of Frame (differential, arithmetic coding) - Differential sequential DCT',
    0xffce: 'Start of Frame (differential, arithmetic coding) - Differential progressive DCT',
    0xffcf: 'Start of Frame (differential, arithmetic coding) - Differential lossless (sequential)',
    0xffd8: 'Start of Image', 0xffd9: 'End of Image', 0xffda: 'Start of Scan', 0xffdb: 'Define quantization table(s)',
    0xffdc: 'Define number of lines', 0xffdd: 'Define restart interval', 0xffde: 'Define hierarchical progression',
    0xffdf: 'Expand reference component(s)', 0xfffe: 'Comment',
  };
  for (let i = 0; i < 8; i++) m[0xffd0 + i] = `Restart interval termination - Restart with modulo 8 count ${i}`;
  for (let i = 0; i < 16; i++) m[0xffe0 + i] = `Reserved for application segments - ${i}`;
  for (let i = 0; i < 14; i++) m[0xfff0 + i] = `Reserved for JPEG extensions - ${i}`;
  return m;
})();

const SOI = 0xffd8, EOI = 0xffd9, SOS = 0xffda, TEM = 0xff01, APP0 = 0xffe0, APP1 = 0xffe1, APP2 = 0xffe2, COM = 0xfffe;
/** SOF0-15 (T.81 Table B.1): 0xffc0-0xffcf but DHT (c4), JPG (c8 is an extension SOF here) and DAC (cc). */
const isSof = (m: number) => m >= 0xffc0 && m <= 0xffcf && m !== 0xffc4 && m !== 0xffcc;
/** Markers that stand alone, without a length and a segment (T.81 B.1.1.3). */
const standsAlone = (m: number) => m === TEM || m === SOI || m === EOI || (m >= 0xffd0 && m <= 0xffd7);

/** TIFF 6.0 tags of an image file directory (Exif 2.3 4.6.4 A). */
const IFD_TAGS: Readonly<Record<number, string>> = {
  0x0100: 'ImageWidth', 0x0101: 'ImageLength', 0x0102: 'BitsPerSample', 0x0103: 'Compression', 0x0106: 'PhotometricInterpretation',
  0x0112: 'Orientation', 0x0115: 'SamplesPerPixel', 0x011c: 'PlanarConfiguration', 0x0212: 'YCbCrSubSampling', 0x0213: 'YCbCrPositioning',
  0x011a: 'XResolution', 0x011b: 'YResolution', 0x0128: 'ResolutionUnit', 0x0111: 'StripOffsets', 0x0116: 'RowsPerStrip',
  0x0117: 'StripByteCounts', 0x0201: 'JPEGInterchangeFormat', 0x0202: 'JPEGInterchangeFormatLength', 0x012d: 'TransferFunction',
  0x013e: 'WhitePoint', 0x013f: 'PrimaryChromaticities', 0x0211: 'YCbCrCoefficients', 0x0214: 'ReferenceBlackWhite', 0x0132: 'DateTime',
  0x010e: 'ImageDescription', 0x010f: 'Make', 0x0110: 'Model', 0x0131: 'Software', 0x013b: 'Artist', 0x8298: 'Copyright',
  0x8769: 'Exif IFD Pointer', 0x8825: 'GPS IFD Pointer', 0xa005: 'Interoperability IFD Pointer',
};
/** Tags of the Exif IFD (Exif 2.3 4.6.5). */
const EXIF_TAGS: Readonly<Record<number, string>> = {
  0x9000: 'ExifVersion', 0xa000: 'FlashpixVersion', 0xa001: 'ColorSpace', 0xa500: 'Gamma', 0x9101: 'ComponentsConfiguration',
  0x9102: 'CompressedBitsPerPixel', 0xa002: 'PixelXDimension', 0xa003: 'PixelYDimension', 0x927c: 'MakerNote', 0x9286: 'UserComment',
  0xa004: 'RelatedSoundFile', 0x9003: 'DateTimeOriginal', 0x9004: 'DateTimeDigitized', 0x9010: 'OffsetTime', 0x9011: 'OffsetTimeOriginal',
  0x9012: 'OffsetTimeDigitized', 0x9290: 'SubSecTime', 0x9291: 'SubSecTimeOriginal', 0x9292: 'SubSecTimeDigitized', 0x829a: 'ExposureTime',
  0x829d: 'FNumber', 0x8822: 'ExposureProgram', 0x8824: 'SpectralSensitivity', 0x8827: 'PhotographicSensitivity', 0x8828: 'OECF',
  0x8830: 'SensitivityType', 0x8831: 'StandardOutputSensitivity', 0x8832: 'RecommendedExposureIndex', 0x8833: 'ISOSpeed',
  0x8834: 'ISOSpeedLatitudeyyy', 0x8835: 'ISOSpeedLatitudezzz', 0x9201: 'ShutterSpeedValue', 0x9202: 'ApertureValue',
  0x9203: 'BrightnessValue', 0x9204: 'ExposureBiasValue', 0x9205: 'MaxApertureValue', 0x9206: 'SubjectDistance', 0x9207: 'MeteringMode',
  0x9208: 'LightSource', 0x9209: 'Flash', 0x920a: 'FocalLength', 0x9214: 'SubjectArea', 0xa20b: 'FlashEnergy',
  0xa20c: 'SpatialFrequencyResponse', 0xa20e: 'FocalPlaneXResolution', 0xa20f: 'FocalPlaneYResolution', 0xa210: 'FocalPlaneResolutionUnit',
  0xa214: 'SubjectLocation', 0xa215: 'ExposureIndex', 0xa217: 'SensingMethod', 0xa300: 'FileSource', 0xa301: 'SceneType',
  0xa302: 'CFAPattern', 0xa401: 'CustomRendered', 0xa402: 'ExposureMode', 0xa403: 'WhiteBalance', 0xa404: 'DigitalZoomRatio',
  0xa405: 'FocalLengthIn35mmFilm', 0xa406: 'SceneCaptureType', 0xa407: 'GainControl', 0xa408: 'Contrast', 0xa409: 'Saturation',
  0xa40a: 'Sharpness', 0xa40b: 'DeviceSettingDescription', 0xa40c: 'SubjectDistanceRange', 0xa460: 'CompositeImage',
  0xa461: 'SourceImageNumberOfCompositeImage', 0xa462: 'SourceExposureTimesOfCompositeImage', 0x9400: 'Temperature', 0x9401: 'Humidity',
  0x9402: 'Pressure', 0x9403: 'WaterDepth', 0x9404: 'Acceleration', 0x9405: 'CameraElevationAngle', 0xa420: 'ImageUniqueID',
  0xa430: 'CameraOwnerName', 0xa431: 'BodySerialNumber', 0xa432: 'LensSpecification', 0xa433: 'LensMake', 0xa434: 'LensModel',
  0xa435: 'LensSerialNumber',
};
/** Tags of the GPS IFD (Exif 2.3 4.6.6): 0 GPSVersionID to 31 GPSHPositioningError. */
const GPS_TAGS: Readonly<Record<number, string>> = Object.fromEntries([
  'GPSVersionID', 'GPSLatitudeRef', 'GPSLatitude', 'GPSLongitudeRef', 'GPSLongitude', 'GPSAltitudeRef', 'GPSAltitude', 'GPSTimeStamp',
  'GPSSatellites', 'GPSStatus', 'GPSMeasureMode', 'GPSDOP', 'GPSSpeedRef', 'GPSSpeed', 'GPSTrackRef', 'GPSTrack', 'GPSImgDirectionRef',
  'GPSImgDirection', 'GPSMapDatum', 'GPSDestLatitudeRef', 'GPSDestLatitude', 'GPSDestLongitudeRef', 'GPSDestLongitude',
  'GPSDestBearingRef', 'GPSDestBearing', 'GPSDestDistanceRef', 'GPSDestDistance', 'GPSProcessingMethod', 'GPSAreaInformation',
  'GPSDateStamp', 'GPSDifferential', 'GPSHPositioningError',
].map((name, i) => [i, name]));

/** TIFF field types (TIFF 6.0 section 2) that tshark knows, and the size of one value. */
const BYTE = 1, ASCII = 2, SHORT = 3, LONG = 4, RATIONAL = 5, UNDEFINED = 7, SLONG = 9, SRATIONAL = 10;
const TYPE_NAMES: Readonly<Record<number, string>> = {
  [BYTE]: 'BYTE', [ASCII]: 'ASCII', [SHORT]: 'SHORT', [LONG]: 'LONG', [RATIONAL]: 'RATIONAL', [UNDEFINED]: 'UNDEFINED', [SLONG]: 'SLONG', [SRATIONAL]: 'SRATIONAL',
};
const TYPE_SIZES: Readonly<Record<number, number>> = { [BYTE]: 1, [ASCII]: 1, [SHORT]: 2, [LONG]: 4, [RATIONAL]: 8, [UNDEFINED]: 1, [SLONG]: 4, [SRATIONAL]: 8 };

export const jfifFields = defineFields([
  { name: 'image-jfif.marker', label: 'Marker', type: 'uint16', base: 'hex', values: MARKERS, description: 'JFIF Marker' },
  { name: 'image-jfif.marker_segment', label: 'Marker segment', type: 'none' },
  { name: 'image-jfif.length', label: 'Length', type: 'uint16', description: 'Length of segment (including length field)' },
  { name: 'image-jfif.identifier', label: 'Identifier', type: 'string', description: 'Identifier of the segment' },
  { name: 'image-jfif.version', label: 'Version', type: 'none', description: 'JFIF Version' },
  { name: 'image-jfif.version.major', label: 'Major Version', type: 'uint8' },
  { name: 'image-jfif.version.minor', label: 'Minor Version', type: 'uint8' },
  { name: 'image-jfif.units', label: 'Units', type: 'uint8', values: { 0: 'No units; Xdensity and Ydensity specify the pixel aspect ratio', 1: 'Dots per inch', 2: 'Dots per centimeter' } },
  { name: 'image-jfif.Xdensity', label: 'Xdensity', type: 'uint16' },
  { name: 'image-jfif.Ydensity', label: 'Ydensity', type: 'uint16' },
  { name: 'image-jfif.Xthumbnail', label: 'Xthumbnail', type: 'uint16' },
  { name: 'image-jfif.Ythumbnail', label: 'Ythumbnail', type: 'uint16' },
  { name: 'image-jfif.RGB', label: 'RGB values of thumbnail pixels', type: 'bytes' },
  { name: 'image-jfif.extension.code', label: 'Extension code', type: 'uint8', base: 'hex', values: { 0x10: 'Thumbnail encoded using JPEG', 0x11: 'Thumbnail encoded using 1 byte (8 bits) per pixel', 0x13: 'Thumbnail encoded using 3 bytes (24 bits) per pixel' } },
  { name: 'image-jfif.sof', label: 'Start of Frame header', type: 'none' },
  { name: 'image-jfif.sof.precision', label: 'Sample Precision (bits)', type: 'uint8' },
  { name: 'image-jfif.sof.lines', label: 'Lines', type: 'uint16' },
  { name: 'image-jfif.sof.samples_per_line', label: 'Samples per line', type: 'uint16' },
  { name: 'image-jfif.sof.nf', label: 'Number of image components in frame', type: 'uint8' },
  { name: 'image-jfif.sof.c_i', label: 'Component identifier', type: 'uint8' },
  { name: 'image-jfif.sof.h_i', label: 'Horizontal sampling factor', type: 'uint8', mask: 0xf0 },
  { name: 'image-jfif.sof.v_i', label: 'Vertical sampling factor', type: 'uint8', mask: 0x0f },
  { name: 'image-jfif.sof.tq_i', label: 'Quantization table destination selector', type: 'uint8' },
  { name: 'image-jfif.header.sos', label: 'Start of Segment header', type: 'none' },
  { name: 'image-jfif.sos.ns', label: 'Number of image components in scan', type: 'uint8' },
  { name: 'image-jfif.sos.component_selector', label: 'Scan component selector', type: 'uint8' },
  { name: 'image-jfif.sos.dc_entropy_selector', label: 'DC entropy coding table destination selector', type: 'uint8', mask: 0xf0 },
  { name: 'image-jfif.sos.ac_entropy_selector', label: 'AC entropy coding table destination selector', type: 'uint8', mask: 0x0f },
  { name: 'image-jfif.sos.ss', label: 'Start of spectral or predictor selection', type: 'uint8' },
  { name: 'image-jfif.sos.se', label: 'End of spectral selection', type: 'uint8' },
  { name: 'image-jfif.sos.ah', label: 'Successive approximation bit position high', type: 'uint8', mask: 0xf0 },
  { name: 'image-jfif.sos.al', label: 'Successive approximation bit position low or point transform', type: 'uint8', mask: 0x0f },
  { name: 'image-jfif.header.comment', label: 'Comment header', type: 'none' },
  { name: 'image-jfif.comment', label: 'Comment', type: 'string' },
  { name: 'image-jfif.remain_seg_data', label: 'Remaining segment data', type: 'bytes' },
  { name: 'image-jfif.endianness', label: 'Endianness', type: 'uint16', base: 'hex' },
  { name: 'image-jfif.start_ifd_offset', label: 'Start offset of IFD starting from the TIFF header start', type: 'uint32' },
  { name: 'image-jfif.next_ifd_offset', label: 'Offset to next IFD from start of TIFF header', type: 'uint32' },
  { name: 'image-jfif.exif_flashpix_marker', label: 'Exif FlashPix APP2 application marker', type: 'none' },
  { name: 'image-jfif.entropy_coded_segment', label: 'Entropy-coded segment (dissection is not yet implemented)', type: 'bytes' },
  { name: 'image-jfif.fill_bytes', label: 'Fill bytes', type: 'bytes' },
  { name: 'image-jfif.skipped_tiff_data', label: 'Skipped data between end of TIFF header and start of IFD', type: 'bytes' },
  { name: 'image-jfif.ifd.num_fields', label: 'Number of fields in this IFD', type: 'uint16' },
  { name: 'image-jfif.ifd.tag', label: 'Tag', type: 'uint16', values: IFD_TAGS },
  { name: 'image-jfif.ifd.tag_exif', label: 'Tag', type: 'uint16', values: EXIF_TAGS },
  { name: 'image-jfif.ifd.tag_gps', label: 'Tag', type: 'uint16', values: GPS_TAGS },
  { name: 'image-jfif.ifd.tag_interop', label: 'Tag', type: 'uint16', values: { 1: 'InteroperabilityIndex' } },
  { name: 'image-jfif.ifd.type', label: 'Type', type: 'uint16', values: TYPE_NAMES },
  { name: 'image-jfif.ifd.count', label: 'Count', type: 'uint32' },
  { name: 'image-jfif.ifd.offset', label: 'Value offset from start of TIFF header', type: 'uint32' },
  { name: 'image-jfif.ifd.value_byte', label: 'Value', type: 'uint8' },
  { name: 'image-jfif.ifd.value_ascii', label: 'Value', type: 'string' },
  { name: 'image-jfif.ifd.value_short', label: 'Value', type: 'uint16' },
  { name: 'image-jfif.ifd.value_long', label: 'Value', type: 'uint32' },
  { name: 'image-jfif.ifd.value_rational', label: 'Value', type: 'none' },
  { name: 'image-jfif.ifd.value_rational.numerator', label: 'Numerator', type: 'uint32' },
  { name: 'image-jfif.ifd.value_rational.denominator', label: 'Denominator', type: 'uint32' },
  { name: 'image-jfif.ifd.value_undefined', label: 'Value (raw)', type: 'bytes' },
  { name: 'image-jfif.ifd.value_slong', label: 'Value', type: 'int32' },
  { name: 'image-jfif.ifd.value_srational', label: 'Value', type: 'none' },
  { name: 'image-jfif.ifd.value_srational.numerator', label: 'Numerator', type: 'int32' },
  { name: 'image-jfif.ifd.value_srational.denominator', label: 'Denominator', type: 'int32' },
] as const);
const F = jfifFields;

/** Which value field a TIFF type's values go in (file-jpeg.c's switch). */
const VALUE_FIELDS: Readonly<Record<number, FieldDef>> = {
  [BYTE]: F['image-jfif.ifd.value_byte'], [ASCII]: F['image-jfif.ifd.value_ascii'], [SHORT]: F['image-jfif.ifd.value_short'],
  [LONG]: F['image-jfif.ifd.value_long'], [RATIONAL]: F['image-jfif.ifd.value_rational'], [UNDEFINED]: F['image-jfif.ifd.value_undefined'],
  [SLONG]: F['image-jfif.ifd.value_slong'], [SRATIONAL]: F['image-jfif.ifd.value_srational'],
};

/** The IFDs a LONG in the first IFD chain points to, their tag field and their items' name. */
const SUB_IFDS: Readonly<Record<number, { tag: FieldDef; name: string }>> = {
  0x8769: { tag: F['image-jfif.ifd.tag_exif'], name: 'Exif IFD' },
  0x8825: { tag: F['image-jfif.ifd.tag_gps'], name: 'GPS IFD' },
  0xa005: { tag: F['image-jfif.ifd.tag_interop'], name: 'Interoperability IFD' },
};

const hex4upper = (v: number) => `0x${v.toString(16).toUpperCase().padStart(4, '0')}`;
const bytesUnit = (n: number) => `${n} byte${n === 1 ? '' : 's'}`;

/** TIFF integers in the header's byte order. */
interface Tiff {
  tvb: Tvb;
  le: boolean;
}
const u16 = (t: Tiff, o: number) => (t.le ? t.tvb.u16le(o) : t.tvb.u16(o));
const u32 = (t: Tiff, o: number) => (t.le ? t.tvb.u32le(o) : t.tvb.u32(o));

/**
 * A NUL-terminated ASCII string at `o` (tvb_get_stringz_enc): its text and its size with the
 * NUL. Without a NUL in the bytes there, reading runs off their end (an exception, as in tshark).
 */
function stringz(tvb: Tvb, o: number): { text: string; size: number } {
  const nul = tvb.indexOf(0, o);
  if (nul < 0) tvb.check(o, tvb.remaining(o) + 1);
  return { text: tvb.ascii(o, nul - o), size: nul - o + 1 };
}

/**
 * An FT_STRING read as ASCII; text after a NUL in it gets tshark 4.0's "Trailing stray
 * characters" note (proto.c's detect_trailing_stray_characters).
 */
function addAscii(ctx: PacketContext, parent: FieldNode, field: FieldDef, tvb: Tvb, o: number, n: number): FieldNode {
  const text = tvb.ascii(o, n);
  const item = ctx.add(parent, field, tvb, o, n, text);
  const nul = text.indexOf('\0');
  if (nul >= 0 && /[^\0]/.test(text.slice(nul))) ctx.addExpert(item, 'warn', 'undecoded', 'Trailing stray characters');
  return item;
}

/** The segment's item ("Marker segment: Comment (0xFFFE)") with its marker and length. */
function segmentHead(ctx: PacketContext, parent: FieldNode, seg: Tvb, field: FieldDef, marker: number): FieldNode {
  const tree = ctx.add(parent, field, seg, 0, seg.length, null, `${field.label}: ${MARKERS[marker]} (${hex4upper(marker)})`);
  ctx.add(tree, F['image-jfif.marker'], seg, 0, 2, seg.u16(0));
  ctx.add(tree, F['image-jfif.length'], seg, 2, 2, seg.u16(2));
  return tree;
}

/** "Remaining segment data: N bytes", N from the length field (wrapping as a guint32 does when it is too small). */
function addRemaining(ctx: PacketContext, tree: FieldNode, seg: Tvb, o: number, n: number): void {
  const shown = seg.sub(o, seg.length - o);
  ctx.add(tree, F['image-jfif.remain_seg_data'], seg, o, shown.length, shown.slice(0), `Remaining segment data: ${n >>> 0} bytes`);
}

/** The identifier of an APPn segment, with the suffix tshark appends when it does not know it. */
function addIdentifier(ctx: PacketContext, tree: FieldNode, seg: Tvb): { text: string; size: number; item: FieldNode } {
  const id = stringz(seg, 4);
  return { ...id, item: ctx.add(tree, F['image-jfif.identifier'], seg, 4, id.size, id.text) };
}

function appendText(ctx: PacketContext, item: FieldNode, suffix: string): void {
  if (ctx.tree) ctx.setText(item, `${item.field.label}: ${item.value as string}${suffix}`);
}

/** APP0 (JFIF 1.02 section 4): the JFIF header, a JFXX extension, or an application's data. */
function app0(ctx: PacketContext, tree: FieldNode, seg: Tvb, len: number): void {
  const id = addIdentifier(ctx, tree, seg);
  if (id.text === 'JFIF') {
    const major = seg.u8(9), minor = seg.u8(10);
    const version = ctx.add(tree, F['image-jfif.version'], seg, 9, 2, null, `Version: ${major}.${minor}`);
    ctx.add(version, F['image-jfif.version.major'], seg, 9, 1, major);
    ctx.add(version, F['image-jfif.version.minor'], seg, 10, 1, minor);
    ctx.add(tree, F['image-jfif.units'], seg, 11, 1, seg.u8(11));
    ctx.add(tree, F['image-jfif.Xdensity'], seg, 12, 2, seg.u16(12));
    ctx.add(tree, F['image-jfif.Ydensity'], seg, 14, 2, seg.u16(14));
    const x = seg.u8(16), y = seg.u8(17);
    ctx.add(tree, F['image-jfif.Xthumbnail'], seg, 16, 1, x);
    ctx.add(tree, F['image-jfif.Ythumbnail'], seg, 17, 1, y);
    if (x || y) ctx.add(tree, F['image-jfif.RGB'], seg, 18, 3 * x * y, seg.slice(18, 3 * x * y));
  } else if (id.text === 'JFXX') {
    ctx.add(tree, F['image-jfif.extension.code'], seg, 9, 1, seg.u8(9));
  } else {
    appendText(ctx, id.item, ' (unknown identifier)');
    addRemaining(ctx, tree, seg, 4 + id.size, len - 2 - id.size);
  }
}

/**
 * One chain of image file directories (TIFF 6.0 section 2): each IFD's entries (tag, type,
 * count, then the values, inside the entry when they fit in its four bytes, else at the offset
 * it holds — those go after the IFD, in the segment's tree), then the offset of the next IFD.
 * In the first chain, a LONG pointing at an Exif, GPS or interoperability IFD opens that chain,
 * also after the IFD in the segment's tree.
 */
function ifdChain(ctx: PacketContext, tree: FieldNode, t: Tiff, start: number, tag: FieldDef, name: string): void {
  const tvb = t.tvb;
  let next = start;
  for (let index = 0; ; index++) {
    let o = next;
    const count = u16(t, o);
    // tshark checks the whole directory is there before it adds its item.
    tvb.check(o, count * 12 + 6);
    const ifd = ctx.addText(tree, tvb, o, count * 12 + 6, `${name} #${index}`);
    const from = ctx.flat.length, inIfd = new Set<FieldNode>();
    const put = (node: FieldNode) => (inIfd.add(node), node);
    try {
      put(ctx.add(ifd, F['image-jfif.ifd.num_fields'], tvb, o, 2, count));
      o += 2;
      for (let i = 0; i < count; i++, o += 12) {
        const fieldTag = u16(t, o), type = u16(t, o + 2), n = u32(t, o + 4);
        put(ctx.add(ifd, tag, tvb, o, 2, fieldTag));
        put(ctx.add(ifd, F['image-jfif.ifd.type'], tvb, o + 2, 2, type));
        put(ctx.add(ifd, F['image-jfif.ifd.count'], tvb, o + 4, 4, n));
        const size = TYPE_SIZES[type] ?? 0;
        const inline = size !== 0 && Math.floor(4 / size) >= n;
        let at = o + 8;
        if (!inline) {
          at = u32(t, o + 8);
          const item = put(ctx.add(ifd, F['image-jfif.ifd.offset'], tvb, o + 8, 4, at));
          if (at >= tvb.reportedLength) {
            ctx.addExpert(item, 'warn', 'protocol', `bogus, should be < ${tvb.reportedLength}`);
            continue;
          }
        }
        const values: Values = { parent: inline ? ifd : tree, keep: inline ? put : (node) => node, segment: tree };
        addValues(ctx, values, t, at, type, n, tag === F['image-jfif.ifd.tag'] ? fieldTag : -1);
      }
      next = u32(t, o);
      const item = put(ctx.add(ifd, F['image-jfif.next_ifd_offset'], tvb, o, 4, next, `${F['image-jfif.next_ifd_offset'].label}: ${bytesUnit(next)}`));
      o += 4;
      if (next === 0) return;
      if (next < o) {
        ctx.addExpert(item, 'warn', 'protocol', ` (bogus, should be >= ${o})`);
        return;
      }
    } finally {
      if (!ctx.tree) inTreeOrder(ctx.flat, from, inIfd);
    }
  }
}

/**
 * Without a tree, nodes are kept in the order they are added, which `-T fields` prints; tshark
 * prints tree order, where an IFD's own items come before the values and IFDs its entries led
 * to (added to the segment's tree meanwhile). Moves them so.
 */
function inTreeOrder(flat: FieldNode[], from: number, inIfd: ReadonlySet<FieldNode>): void {
  const added = flat.splice(from);
  flat.push(...added.filter((n) => inIfd.has(n)), ...added.filter((n) => !inIfd.has(n)));
}

/** Where an entry's values go: inside the IFD (`keep` marks them its own) or after it, in the segment's tree. */
interface Values {
  parent: FieldNode;
  keep: (node: FieldNode) => FieldNode;
  segment: FieldNode;
}

/**
 * An entry's `n` values of `type` at `at`. `pointerTag` is the entry's tag in the first chain
 * (-1 elsewhere): a single LONG under a pointer tag is followed to its IFD chain.
 */
function addValues(ctx: PacketContext, to: Values, t: Tiff, at: number, type: number, n: number, pointerTag: number): void {
  const tvb = t.tvb;
  const field = VALUE_FIELDS[type];
  if (!field) return;
  if (type === ASCII) {
    to.keep(addAscii(ctx, to.parent, field, tvb, at, n));
    return;
  }
  if (type === UNDEFINED) {
    to.keep(ctx.add(to.parent, field, tvb, at, n, tvb.slice(at, n)));
    return;
  }
  const size = TYPE_SIZES[type]!;
  for (let i = 0; i < n; i++, at += size) {
    if (type === RATIONAL || type === SRATIONAL) {
      tvb.check(at, size);
      const signed = type === SRATIONAL;
      const num = signed ? u32(t, at) | 0 : u32(t, at), den = signed ? u32(t, at + 4) | 0 : u32(t, at + 4);
      const value = to.keep(ctx.add(to.parent, field, tvb, at, size, null, `Value: ${num}/${den}`));
      const [numField, denField] = signed
        ? [F['image-jfif.ifd.value_srational.numerator'], F['image-jfif.ifd.value_srational.denominator']]
        : [F['image-jfif.ifd.value_rational.numerator'], F['image-jfif.ifd.value_rational.denominator']];
      to.keep(ctx.add(value, numField, tvb, at, 4, num));
      to.keep(ctx.add(value, denField, tvb, at + 4, 4, den));
      continue;
    }
    const v = size === 1 ? tvb.u8(at) : size === 2 ? u16(t, at) : type === SLONG ? u32(t, at) | 0 : u32(t, at);
    const item = to.keep(ctx.add(to.parent, field, tvb, at, size, v));
    const sub = type === LONG && n === 1 ? SUB_IFDS[pointerTag] : undefined;
    if (!sub) continue;
    if (v < tvb.reportedLength) ifdChain(ctx, to.segment, t, v, sub.tag, sub.name);
    else ctx.addExpert(item, 'warn', 'protocol', `bogus, should be < ${tvb.reportedLength}`);
  }
}

/** The TIFF header of an Exif APP1 (Exif 2.3 4.5.2): byte order, 42, the first IFD's offset. */
function tiff(ctx: PacketContext, tree: FieldNode, tvb: Tvb): void {
  const order = tvb.u16(0);
  const known = order === 0x4949 ? 'little endian' : order === 0x4d4d ? 'big endian' : null;
  const shown = known ?? `Incorrect encoding ${hex4upper(order).toLowerCase()}- skipping the remainder of this application marker`;
  ctx.add(tree, F['image-jfif.endianness'], tvb, 0, 2, order, `Endianness: ${shown}`);
  if (!known) return;
  const t: Tiff = { tvb, le: order === 0x4949 };
  const start = u32(t, 4);
  const item = ctx.add(tree, F['image-jfif.start_ifd_offset'], tvb, 4, 4, start, `${F['image-jfif.start_ifd_offset'].label}: ${bytesUnit(start)}`);
  if (start < 8) {
    ctx.addExpert(item, 'warn', 'protocol', ' (bogus, should be >= 8)');
    return;
  }
  ifdChain(ctx, tree, t, start, F['image-jfif.ifd.tag'], 'Image File Directory');
}

/** APP1: Exif's TIFF structure, or an application's data (XMP, ...). */
function app1(ctx: PacketContext, tree: FieldNode, seg: Tvb, len: number, firstNotJfif: boolean): void {
  const id = addIdentifier(ctx, tree, seg);
  if (firstNotJfif && id.text !== 'JFIF') ctx.addExpert(id.item, 'warn', 'protocol', 'Initial App0 segment with "JFIF" Identifier not found');
  if (id.text === 'Exif') {
    // "Exif" is followed by a second NUL, then the TIFF header.
    tiff(ctx, tree, seg.sub(4 + id.size + 1));
  } else {
    addRemaining(ctx, tree, seg, 4 + id.size, len - 2 - id.size);
    appendText(ctx, id.item, ' (Unknown identifier)');
  }
}

/** APP2: a FlashPix extension of Exif (marked at the top level, as tshark does), else data. */
function app2(ctx: PacketContext, tree: FieldNode, top: FieldNode, seg: Tvb, len: number): void {
  const id = addIdentifier(ctx, tree, seg);
  if (id.text === 'FPXR') {
    ctx.add(top, F['image-jfif.exif_flashpix_marker'], seg, 0, seg.length, null);
    return;
  }
  addRemaining(ctx, tree, seg, 4 + id.size, len - 2 - id.size);
  appendText(ctx, id.item, ' (Unknown identifier)');
}

/** SOFn (T.81 B.2.2): precision, size, and per component its id, sampling factors and table. */
function frameHeader(ctx: PacketContext, tree: FieldNode, seg: Tvb): void {
  ctx.add(tree, F['image-jfif.sof.precision'], seg, 4, 1, seg.u8(4));
  ctx.add(tree, F['image-jfif.sof.lines'], seg, 5, 2, seg.u16(5));
  ctx.add(tree, F['image-jfif.sof.samples_per_line'], seg, 7, 2, seg.u16(7));
  const n = seg.u8(9);
  ctx.add(tree, F['image-jfif.sof.nf'], seg, 9, 1, n);
  for (let i = 0, o = 10; i < n; i++, o += 3) {
    ctx.add(tree, F['image-jfif.sof.c_i'], seg, o, 1, seg.u8(o));
    const hv = seg.u8(o + 1);
    ctx.add(tree, F['image-jfif.sof.h_i'], seg, o + 1, 1, hv >> 4);
    ctx.add(tree, F['image-jfif.sof.v_i'], seg, o + 1, 1, hv & 0x0f);
    ctx.add(tree, F['image-jfif.sof.tq_i'], seg, o + 2, 1, seg.u8(o + 2));
  }
}

/** SOS (T.81 B.2.3): the scan's components and tables, spectral selection, approximation. */
function scanHeader(ctx: PacketContext, tree: FieldNode, seg: Tvb): void {
  const n = seg.u8(4);
  ctx.add(tree, F['image-jfif.sos.ns'], seg, 4, 1, n);
  let o = 5;
  for (let i = 0; i < n; i++, o += 2) {
    ctx.add(tree, F['image-jfif.sos.component_selector'], seg, o, 1, seg.u8(o));
    const t = seg.u8(o + 1);
    ctx.add(tree, F['image-jfif.sos.dc_entropy_selector'], seg, o + 1, 1, t >> 4);
    ctx.add(tree, F['image-jfif.sos.ac_entropy_selector'], seg, o + 1, 1, t & 0x0f);
  }
  ctx.add(tree, F['image-jfif.sos.ss'], seg, o, 1, seg.u8(o));
  ctx.add(tree, F['image-jfif.sos.se'], seg, o + 1, 1, seg.u8(o + 1));
  const a = seg.u8(o + 2);
  ctx.add(tree, F['image-jfif.sos.ah'], seg, o + 2, 1, a >> 4);
  ctx.add(tree, F['image-jfif.sos.al'], seg, o + 2, 1, a & 0x0f);
}

/** A marker with a segment: its length, then its item by kind (the default shows its size only). */
function segment(ctx: PacketContext, top: FieldNode, tvb: Tvb, at: number, marker: number, state: { firstNotJfif: boolean }): number {
  const len = tvb.u16(at + 2);
  const seg = tvb.sub(at, 2 + len);
  if (marker === APP0) app0(ctx, segmentHead(ctx, top, seg, F['image-jfif.marker_segment'], marker), seg, len);
  else if (marker === APP1) {
    app1(ctx, segmentHead(ctx, top, seg, F['image-jfif.marker_segment'], marker), seg, len, state.firstNotJfif);
    state.firstNotJfif = false;
  } else if (marker === APP2) app2(ctx, segmentHead(ctx, top, seg, F['image-jfif.marker_segment'], marker), top, seg, len);
  else if (isSof(marker)) frameHeader(ctx, segmentHead(ctx, top, seg, F['image-jfif.sof'], marker), seg);
  else if (marker === SOS) scanHeader(ctx, segmentHead(ctx, top, seg, F['image-jfif.header.sos'], marker), seg);
  else if (marker === COM) {
    const tree = segmentHead(ctx, top, seg, F['image-jfif.header.comment'], marker);
    addAscii(ctx, tree, F['image-jfif.comment'], seg, 4, len - 2);
  } else addRemaining(ctx, segmentHead(ctx, top, seg, F['image-jfif.marker_segment'], marker), seg, 4, len - 2);
  return at + 2 + len;
}

/** The offset of the next 0xff in the captured bytes from `o` (tvb_find_guint8), or -1. */
function findFF(tvb: Tvb, o: number): number {
  tvb.check(o, 0);
  return tvb.indexOf(0xff, o);
}

/** tshark's test: SOI, then at byte 6 "JFIF\0" (a JFIF APP0) or "Exif\0" (an Exif APP1). */
function signature(tvb: Tvb): 'JFIF' | 'Exif' | null {
  if (tvb.reportedLength < 20 || !tvb.has(0, 11) || tvb.u16(0) !== SOI || tvb.u8(10) !== 0) return null;
  const id = tvb.ascii(6, 4);
  return id === 'JFIF' || id === 'Exif' ? id : null;
}

function dissectJfif(tvb: Tvb, ctx: PacketContext, node: FieldNode): boolean {
  const sig = signature(tvb);
  if (!sig) return false;
  ctx.info += ' (JPEG JFIF image)';
  const end = tvb.reportedLength;
  const state = { firstNotJfif: sig === 'Exif' };
  let entropy = 0;
  for (;;) {
    // Up to the next marker: an 0xff not followed by 0x00 (T.81 F.1.2.3's byte stuffing).
    let fill = entropy;
    for (;;) {
      fill = findFF(tvb, fill);
      if (fill < 0 || end - fill === 1 || tvb.u8(fill + 1) !== 0) break;
      fill += 2;
    }
    if (fill < 0) fill = end;
    if (fill !== entropy) ctx.add(node, F['image-jfif.entropy_coded_segment'], tvb, entropy, fill - entropy, tvb.slice(entropy, fill - entropy));
    if (fill === end) return true;
    // Fill bytes: 0xff repeated before the marker (T.81 B.1.1.2).
    let at = fill;
    while (tvb.u8(at + 1) === 0xff) at++;
    if (at !== fill) ctx.add(node, F['image-jfif.fill_bytes'], tvb, fill, at - fill, tvb.slice(fill, at - fill));
    const marker = tvb.u16(at);
    if (MARKERS[marker] === undefined) {
      const item = ctx.add(node, F['image-jfif.marker'], tvb, at, 2, marker);
      if (ctx.tree) ctx.setText(item, `Marker: Unknown (${`0x${marker.toString(16).padStart(4, '0')}`}) (Reserved)`);
      return true;
    }
    if (standsAlone(marker)) {
      ctx.add(node, F['image-jfif.marker'], tvb, at, 2, marker);
      entropy = at + 2;
    } else entropy = segment(ctx, node, tvb, at, marker, state);
  }
}

export const jfifProtocol = defineProtocol('image-jfif', 'JPEG File Interchange Format', dissectJfif, 'JFIF (JPEG) image');
for (const t of ['image/jfif', 'image/jpg', 'image/jpeg']) registerMediaType(t, jfifProtocol);
registerHeuristic('http', jfifProtocol, (tvb) => signature(tvb) !== null);
