/*
 * clsid.c - what the classes of a compound file say: the CLSID table, the
 * CompObj stream, and the ole.class and ole.equation_editor findings.
 *
 * The format. Every storage of a compound file, the root included, carries
 * a CLSID in its directory entry (MS-CFB 2.6.1): the COM class whose server
 * Office starts for the object stored there. A CLSID is a GUID (MS-DTYP
 * 2.3.4) stored as Data1 (u32 LE), Data2 and Data3 (u16 LE) and Data4 (8
 * bytes in order); we write it in the registry's canonical form
 * "{0002CE02-0000-0000-C000-000000000046}" (lure_ole2_clsid_format). The
 * OLE2 handler puts the root's on the compound file (prop root_clsid) and
 * each storage's on the streams inside it (props storage_clsid, storage).
 *   Next to the CLSID, an object's storage usually holds "\x01CompObj", the
 * CompObjStream (MS-OLEDS 2.3.8), which names the class in words:
 *
 *   Header              CompObjHeader (2.3.7), 28 bytes: Reserved1,
 *                       Version, Reserved2 (20 bytes); not checked
 *   AnsiUserType        LengthPrefixedAnsiString (2.1.4): u32 length
 *                       counting the NUL, then the characters
 *                       ("Microsoft Equation 3.0")
 *   AnsiClipboardFormat ClipboardFormatOrAnsiString (2.3.1): u32
 *                       MarkerOrLength; 0 = absent, 0xFFFFFFFF or
 *                       0xFFFFFFFE = a u32 standard format follows, else
 *                       the length of an ANSI format name
 *   Reserved1           LengthPrefixedAnsiString: the ProgID ("Equation.3")
 *   UnicodeMarker       u32 0x71B239F4 when the Unicode fields follow
 *   UnicodeUserType, UnicodeClipboardFormat, Reserved2
 *                       the same three, as LengthPrefixedUnicodeString
 *                       (u32 length in characters) and
 *                       ClipboardFormatOrUnicodeString
 *
 * How we use it. The analyser parses each CompObj stream while its bytes
 * are alive and sets the props user_type and prog_id on it. Its finish pass
 * then looks at each compound file once, with its streams: every distinct
 * CLSID (root and storages) becomes one ole.class finding (info) on the
 * compound file, with the ProgID and user type of the storage it was seen
 * in, and Equation Editor 3.0 (the CLSID, a ProgID "Equation.3", or an
 * "Equation Native" stream) becomes one ole.equation_editor (high).
 *
 * Evasions. A ProgID or user type costs nothing to forge and does not
 * decide which server runs: the CLSID does, so it is reported whatever the
 * strings say, and strings are compared without case ("eQuAtIoN.3" was
 * seen in the wild, oletools issue #353) and by prefix ("Equation.3" with
 * junk after it, oletools issue #689). An "Equation Native" stream alone
 * counts only where no CLSID or ProgID of another server (MathType keeps
 * the same stream name under {0002CE03-...} / "Equation.DSMT4") says
 * otherwise, so benign MathType equations do not turn a document
 * malicious. Lengths are bounded by the stream; a string longer than
 * COMPOBJ_MAX_STRING is cut when copied.
 *
 * The table. Values are public and were checked against oletools'
 * oletools/common/clsid.py (the field's reference list, BSD-licensed),
 * the MS-OLEDS and MS-OSHARED moniker sections, and MS-OFORMS; names and
 * notes are ours. Only classes whose values we are sure of are listed.
 */
#include <string.h>
#include <glib.h>
#include "core/cursor.h"
#include "core/handler.h"
#include "formats/ole2.h"
#include "clsid.h"

#define EQUATION_CVE "CVE-2017-11882, CVE-2018-0802"
#define LINK_CVE "CVE-2017-0199, CVE-2017-8570"

static const lure_clsid_info clsid_table[] = {
	/* OLE links and monikers (MS-OLEDS 2.3.3, MS-OSHARED 2.3.7). */
	{"{00000300-0000-0000-C000-000000000046}", "StdOleLink: an OLE link object",
	 LURE_CLSID_LINK | LURE_CLSID_SUSPICIOUS, LINK_CVE},
	{"{00000303-0000-0000-C000-000000000046}", "File moniker",
	 LURE_CLSID_LINK | LURE_CLSID_MONIKER, LINK_CVE},
	{"{00000304-0000-0000-C000-000000000046}", "Item moniker",
	 LURE_CLSID_LINK | LURE_CLSID_MONIKER, NULL},
	{"{00000305-0000-0000-C000-000000000046}", "Anti moniker",
	 LURE_CLSID_LINK | LURE_CLSID_MONIKER, NULL},
	{"{00000306-0000-0000-C000-000000000046}", "Pointer moniker",
	 LURE_CLSID_LINK | LURE_CLSID_MONIKER, NULL},
	{"{00000308-0000-0000-C000-000000000046}", "Packager moniker",
	 LURE_CLSID_LINK | LURE_CLSID_MONIKER, NULL},
	{"{00000309-0000-0000-C000-000000000046}", "Composite moniker",
	 LURE_CLSID_LINK | LURE_CLSID_MONIKER, "CVE-2017-8570"},
	{"{0000031A-0000-0000-C000-000000000046}", "Class moniker",
	 LURE_CLSID_LINK | LURE_CLSID_MONIKER, NULL},
	{"{79EAC9E0-BAF9-11CE-8C82-00AA004BA90B}", "URL moniker",
	 LURE_CLSID_LINK | LURE_CLSID_MONIKER | LURE_CLSID_SUSPICIOUS,
	 "CVE-2017-0199, CVE-2017-8570, CVE-2018-8174"},
	{"{79EAC9D0-BAF9-11CE-8C82-00AA004BA90B}", "Standard hyperlink object (StdHlink)",
	 LURE_CLSID_LINK, NULL},
	{"{ECABB0C7-7F19-11D2-978E-0000F8757E2A}", "SOAP moniker",
	 LURE_CLSID_LINK | LURE_CLSID_MONIKER | LURE_CLSID_SUSPICIOUS, "CVE-2017-8759"},
	{"{06290BD3-48AA-11D2-8432-006008C3FBFC}", "Script moniker (Windows Script Component)",
	 LURE_CLSID_LINK | LURE_CLSID_MONIKER | LURE_CLSID_SUSPICIOUS, "CVE-2017-0199"},
	{"{06290BD2-48AA-11D2-8432-006008C3FBFC}", "Scriptlet file factory (scriptletfile)",
	 LURE_CLSID_SUSPICIOUS, "CVE-2017-0199"},
	{"{ECABAFC6-7F19-11D2-978E-0000F8757E2A}", "New moniker",
	 LURE_CLSID_LINK | LURE_CLSID_MONIKER, NULL},
	{"{4315D437-5B8C-11D0-BD3B-00A0C911CE86}", "Device moniker",
	 LURE_CLSID_LINK | LURE_CLSID_MONIKER | LURE_CLSID_SUSPICIOUS, "CVE-2016-0015"},

	/* Packager: an object that is any file, run when opened. */
	{"{0003000C-0000-0000-C000-000000000046}", "Packager object (embeds any file)",
	 LURE_CLSID_PACKAGE, NULL},
	{"{0003000D-0000-0000-C000-000000000046}", "Packager object (embeds any file)",
	 LURE_CLSID_PACKAGE, NULL},
	{"{0003000E-0000-0000-C000-000000000046}", "Packager object (embeds any file)",
	 LURE_CLSID_PACKAGE, NULL},
	{"{F20DA720-C02F-11CE-927B-0800095AE340}", "Packager object (embeds any file)",
	 LURE_CLSID_PACKAGE, NULL},
	{"{00020C01-0000-0000-C000-000000000046}", "Packager object (embeds any file)",
	 LURE_CLSID_PACKAGE, NULL},

	/* Equation Editor (EQNEDT32.EXE) and its look-alikes. */
	{"{0002CE02-0000-0000-C000-000000000046}", "Equation Editor 3.0 (Equation.3)",
	 LURE_CLSID_EQUATION | LURE_CLSID_SUSPICIOUS, EQUATION_CVE},
	{"{00021700-0000-0000-C000-000000000046}", "Equation Editor 2.0",
	 LURE_CLSID_EQUATION | LURE_CLSID_SUSPICIOUS, EQUATION_CVE},
	{"{0003000B-0000-0000-C000-000000000046}", "Equation Editor (OLE1 class)",
	 LURE_CLSID_EQUATION | LURE_CLSID_SUSPICIOUS, EQUATION_CVE},
	/* MathType keeps an "Equation Native" stream too, but it is another
	 * program: not Equation Editor. */
	{"{0002CE03-0000-0000-C000-000000000046}", "MathType equation (Equation.DSMT*)",
	 0, NULL},

	/* Script, HTML and XML servers seen in exploit documents. */
	{"{3050F4D8-98B5-11CF-BB82-00AA00BDCE0B}", "HTML Application (mshta)",
	 LURE_CLSID_SUSPICIOUS, "CVE-2017-0199"},
	{"{25336920-03F9-11CF-8FD0-00AA00686F13}", "HTML document (htmlfile)",
	 LURE_CLSID_SUSPICIOUS, "CVE-2021-40444, CVE-2022-30190"},
	{"{88D969EC-8B8B-4C3D-859E-AF6CD158BE0F}", "MSXML 5 SAX reader (Msxml2.SAXXMLReader.5.0)",
	 LURE_CLSID_SUSPICIOUS, "CVE-2023-36884"},
	{"{0E59F1D5-1FBE-11D0-8FF2-00A0D10038BC}", "Script control (MSScriptControl.ScriptControl)",
	 LURE_CLSID_SUSPICIOUS, "CVE-2015-0097"},
	{"{00000535-0000-0010-8000-00AA006D2EA4}", "ADO recordset (ADODB.RecordSet)",
	 LURE_CLSID_SUSPICIOUS, "CVE-2015-0097"},
	{"{0D43FE01-F093-11CF-8940-00A0C9054228}", "File system object (Scripting.FileSystemObject)",
	 LURE_CLSID_SUSPICIOUS, NULL},
	{"{B54F3741-5B07-11CF-A4B0-00AA004A55E8}", "VBScript engine", LURE_CLSID_SUSPICIOUS, NULL},
	{"{F414C260-6AC0-11CF-B6D1-00AA00BBBB58}", "JScript engine", LURE_CLSID_SUSPICIOUS, NULL},
	{"{05741520-C4EB-440A-AC3F-9643BBC9F847}", "otkloadr.WRLoader (ASLR bypass helper)",
	 LURE_CLSID_SUSPICIOUS, "CVE-2015-1641"},
	{"{A08A033D-1A75-4AB6-A166-EAD02F547959}", "otkloadr.WRAssembly (ASLR bypass helper)",
	 LURE_CLSID_SUSPICIOUS, "CVE-2015-1641"},
	{"{D27CDB6E-AE6D-11CF-96B8-444553540000}", "Shockwave Flash object",
	 LURE_CLSID_CONTROL | LURE_CLSID_SUSPICIOUS, NULL},
	{"{D27CDB70-AE6D-11CF-96B8-444553540000}", "Shockwave Flash object",
	 LURE_CLSID_CONTROL | LURE_CLSID_SUSPICIOUS, NULL},
	{"{C08AFD90-F2A1-11D1-8455-00A0C91F3880}", "Shell browser window (ShellBrowserWindow)",
	 LURE_CLSID_SUSPICIOUS, NULL},

	/* Web browser controls. */
	{"{8856F961-340A-11D0-A96B-00C04FD705A2}", "Web browser control (Shell.Explorer.2)",
	 LURE_CLSID_CONTROL | LURE_CLSID_SUSPICIOUS, NULL},
	{"{EAB22AC3-30C1-11CF-A7EB-0000C05BAE0B}", "Web browser control (Shell.Explorer.1)",
	 LURE_CLSID_CONTROL | LURE_CLSID_SUSPICIOUS, NULL},

	/* Windows Common Controls (MSCOMCTL.OCX), abused for years. */
	{"{BDD1F04B-858B-11D1-B16A-00C0F0283628}", "MSComctlLib.ListViewCtrl.2",
	 LURE_CLSID_CONTROL | LURE_CLSID_SUSPICIOUS, "CVE-2012-0158"},
	{"{996BF5E0-8044-4650-ADEB-0B013914E99C}", "MSComctlLib.ListViewCtrl",
	 LURE_CLSID_CONTROL | LURE_CLSID_SUSPICIOUS, "CVE-2012-0158"},
	{"{C74190B6-8589-11D1-B16A-00C0F0283628}", "MSComctlLib.TreeCtrl.2",
	 LURE_CLSID_CONTROL | LURE_CLSID_SUSPICIOUS, "CVE-2012-0158"},
	{"{9181DC5F-E07D-418A-ACA6-8EEA1ECB8E9E}", "MSComctlLib.TreeCtrl",
	 LURE_CLSID_CONTROL | LURE_CLSID_SUSPICIOUS, "CVE-2012-0158"},
	{"{66833FE6-8583-11D1-B16A-00C0F0283628}", "MSComctlLib.Toolbar",
	 LURE_CLSID_CONTROL | LURE_CLSID_SUSPICIOUS, "CVE-2012-0158, CVE-2012-1856"},
	{"{1EFB6596-857C-11D1-B16A-00C0F0283628}", "MSComctlLib.TabStrip",
	 LURE_CLSID_CONTROL | LURE_CLSID_SUSPICIOUS, "CVE-2012-1856, CVE-2013-3906"},
	{"{DD9DA666-8594-11D1-B16A-00C0F0283628}", "MSComctlLib.ImageComboCtrl",
	 LURE_CLSID_CONTROL | LURE_CLSID_SUSPICIOUS, "CVE-2014-1761"},

	/* Microsoft Forms 2.0 controls (MS-OFORMS). */
	{"{D7053240-CE69-11CD-A777-00DD01143C57}", "Forms.CommandButton.1", LURE_CLSID_CONTROL, NULL},
	{"{8BD21D10-EC42-11CE-9E0D-00AA006002F3}", "Forms.TextBox.1", LURE_CLSID_CONTROL, NULL},
	{"{8BD21D20-EC42-11CE-9E0D-00AA006002F3}", "Forms.ListBox.1", LURE_CLSID_CONTROL, NULL},
	{"{8BD21D30-EC42-11CE-9E0D-00AA006002F3}", "Forms.ComboBox.1", LURE_CLSID_CONTROL, NULL},
	{"{8BD21D40-EC42-11CE-9E0D-00AA006002F3}", "Forms.CheckBox.1", LURE_CLSID_CONTROL, NULL},
	{"{8BD21D50-EC42-11CE-9E0D-00AA006002F3}", "Forms.OptionButton.1", LURE_CLSID_CONTROL, NULL},
	{"{8BD21D60-EC42-11CE-9E0D-00AA006002F3}", "Forms.ToggleButton.1", LURE_CLSID_CONTROL, NULL},
	{"{978C9E23-D4B0-11CE-BF2D-00AA003F40D0}", "Forms.Label.1", LURE_CLSID_CONTROL, NULL},
	{"{4C599241-6926-101B-9992-00000B65C6F9}", "Forms.Image.1", LURE_CLSID_CONTROL,
	 "CVE-2015-2424"},
	{"{6E182020-F460-11CE-9BCD-00AA00608E01}", "Forms.Frame.1", LURE_CLSID_CONTROL, NULL},
	{"{46E31370-3F7A-11CE-BED6-00AA00611080}", "Forms.MultiPage.1", LURE_CLSID_CONTROL, NULL},
	{"{C62A69F0-16DC-11CE-9E98-00AA00574A4F}", "Forms.Form.1", LURE_CLSID_CONTROL, NULL},

	/* Office documents. */
	{"{00020900-0000-0000-C000-000000000046}", "Word 6.0/95 document (Word.Document.6)",
	 LURE_CLSID_DOCUMENT, NULL},
	{"{00020906-0000-0000-C000-000000000046}", "Word 97-2003 document (Word.Document.8)",
	 LURE_CLSID_DOCUMENT, NULL},
	{"{F4754C9B-64F5-4B40-8AF4-679732AC0607}", "Word document (Word.Document.12)",
	 LURE_CLSID_DOCUMENT, NULL},
	{"{18A06B6B-2F3F-4E2B-A611-52BE631B2D22}", "Word macro-enabled document (Word.DocumentMacroEnabled.12)",
	 LURE_CLSID_DOCUMENT, NULL},
	{"{00020810-0000-0000-C000-000000000046}", "Excel 5.0/95 worksheet (Excel.Sheet.5)",
	 LURE_CLSID_DOCUMENT, NULL},
	{"{00020811-0000-0000-C000-000000000046}", "Excel 5.0/95 chart (Excel.Chart.5)",
	 LURE_CLSID_DOCUMENT, NULL},
	{"{00020820-0000-0000-C000-000000000046}", "Excel 97-2003 worksheet (Excel.Sheet.8)",
	 LURE_CLSID_DOCUMENT, NULL},
	{"{00020821-0000-0000-C000-000000000046}", "Excel 97-2003 chart (Excel.Chart.8)",
	 LURE_CLSID_DOCUMENT, NULL},
	{"{00020830-0000-0000-C000-000000000046}", "Excel worksheet (Excel.Sheet.12)",
	 LURE_CLSID_DOCUMENT, NULL},
	{"{00020832-0000-0000-C000-000000000046}", "Excel macro-enabled worksheet (Excel.SheetMacroEnabled.12)",
	 LURE_CLSID_DOCUMENT, NULL},
	{"{00020833-0000-0000-C000-000000000046}", "Excel binary macro-enabled worksheet (Excel.SheetBinaryMacroEnabled.12)",
	 LURE_CLSID_DOCUMENT, NULL},
	{"{64818D10-4F9B-11CF-86EA-00AA00B929E8}", "PowerPoint 97-2003 presentation (PowerPoint.Show.8)",
	 LURE_CLSID_DOCUMENT, NULL},
	{"{64818D11-4F9B-11CF-86EA-00AA00B929E8}", "PowerPoint 97-2003 slide (PowerPoint.Slide.8)",
	 LURE_CLSID_DOCUMENT, NULL},
	{"{CF4F55F4-8F87-4D47-80BB-5808164BB3F8}", "PowerPoint presentation (PowerPoint.Show.12)",
	 LURE_CLSID_DOCUMENT, NULL},
	{"{000C1084-0000-0000-C000-000000000046}", "Windows Installer package (MSI)",
	 LURE_CLSID_DOCUMENT | LURE_CLSID_SUSPICIOUS, NULL},
	{"{00021401-0000-0000-C000-000000000046}", "Windows shortcut (LNK)",
	 LURE_CLSID_SUSPICIOUS, NULL},
};

#define CLSID_TEXT_LEN 38 /* with the braces */

const lure_clsid_info *lure_clsid_table(size_t *count)
{
	if (count != NULL)
		*count = G_N_ELEMENTS(clsid_table);
	return clsid_table;
}

const lure_clsid_info *lure_clsid_lookup(const char *canonical)
{
	if (canonical == NULL)
		return NULL;
	const char *p = canonical;
	size_t n = strlen(p);
	if (n == CLSID_TEXT_LEN && p[0] == '{' && p[n - 1] == '}') {
		p++;
		n -= 2;
	}
	if (n != CLSID_TEXT_LEN - 2)
		return NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(clsid_table); i++)
		if (g_ascii_strncasecmp(clsid_table[i].clsid + 1, p, n) == 0)
			return &clsid_table[i];
	return NULL;
}

bool lure_clsid_progid_is_equation(const char *prog_id)
{
	static const char prefix[] = "equation.3";
	return prog_id != NULL &&
	       g_ascii_strncasecmp(prog_id, prefix, sizeof(prefix) - 1) == 0;
}

/* ------------------------------------------------------------------------
 * Strings.
 */

char *lure_ole_utf16_to_utf8(const uint8_t *p, size_t nbytes, bool stop_at_nul)
{
	if (p == NULL)
		nbytes = 0;
	if (nbytes > LURE_OLE_MAX_TEXT_BYTES)
		nbytes = LURE_OLE_MAX_TEXT_BYTES;
	GString *out = g_string_sized_new(nbytes / 2 + 1);
	size_t i = 0;

	while (i + 1 < nbytes) {
		gunichar u = lure_le16(p + i);
		i += 2;
		if (u == 0 && stop_at_nul)
			break;
		if (u >= 0xD800 && u <= 0xDBFF) {
			/* A high surrogate needs a low one next. */
			if (i + 1 < nbytes) {
				gunichar lo = lure_le16(p + i);
				if (lo >= 0xDC00 && lo <= 0xDFFF) {
					u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
					i += 2;
				} else {
					u = 0xFFFD;
				}
			} else {
				u = 0xFFFD;
			}
		} else if (u >= 0xDC00 && u <= 0xDFFF) {
			u = 0xFFFD;
		}
		g_string_append_unichar(out, u);
	}
	return g_string_free(out, FALSE);
}

char *lure_ole_ansi_dup(const uint8_t *p, size_t n)
{
	if (p == NULL)
		return g_strdup("");
	const uint8_t *nul = memchr(p, 0, n);
	return g_strndup((const char *)p, nul != NULL ? (size_t)(nul - p) : n);
}

/* ------------------------------------------------------------------------
 * CompObjStream (MS-OLEDS 2.3.8).
 */

#define COMPOBJ_HEADER_SIZE 28
/* User types, format names and ProgIDs are short (a ProgID has at most 39
 * characters); longer ones are cut when copied, never read past the end. */
#define COMPOBJ_MAX_STRING 4096u
#define CLIPBOARD_MARKER_A 0xFFFFFFFFu
#define CLIPBOARD_MARKER_B 0xFFFFFFFEu

/* LengthPrefixedAnsiString (2.1.4). *out stays NULL when empty. */
static lure_error read_ansi_string(lure_cursor *c, uint32_t n, char **out)
{
	const uint8_t *p;
	if (n == 0)
		return LURE_OK;
	if (lure_cursor_bytes(c, n, &p) != LURE_OK)
		return LURE_E_TRUNCATED;
	*out = lure_ole_ansi_dup(p, MIN(n, COMPOBJ_MAX_STRING));
	return LURE_OK;
}

/* LengthPrefixedUnicodeString (2.1.5): n counts UTF-16 characters. */
static lure_error read_unicode_string(lure_cursor *c, uint32_t n, char **out)
{
	const uint8_t *p;
	if (n == 0)
		return LURE_OK;
	if (n > lure_cursor_remaining(c) / 2)
		return LURE_E_TRUNCATED;
	if (lure_cursor_bytes(c, (size_t)n * 2, &p) != LURE_OK)
		return LURE_E_TRUNCATED;
	*out = lure_ole_utf16_to_utf8(p, MIN((size_t)n * 2, COMPOBJ_MAX_STRING * 2), true);
	return LURE_OK;
}

static lure_error read_length_prefixed(lure_cursor *c, bool unicode, char **out)
{
	uint32_t n;
	if (lure_cursor_u32le(c, &n) != LURE_OK)
		return LURE_E_TRUNCATED;
	return unicode ? read_unicode_string(c, n, out) : read_ansi_string(c, n, out);
}

/* ClipboardFormatOrAnsiString (2.3.1) / ClipboardFormatOrUnicodeString
 * (2.3.2): a standard format id or a registered format's name. */
static lure_error read_clipboard_format(lure_cursor *c, bool unicode, char **name,
				       uint32_t *format)
{
	uint32_t marker;
	if (lure_cursor_u32le(c, &marker) != LURE_OK)
		return LURE_E_TRUNCATED;
	if (marker == 0)
		return LURE_OK;
	if (marker == CLIPBOARD_MARKER_A || marker == CLIPBOARD_MARKER_B)
		return lure_cursor_u32le(c, format) == LURE_OK ? LURE_OK : LURE_E_TRUNCATED;
	return unicode ? read_unicode_string(c, marker, name) : read_ansi_string(c, marker, name);
}

lure_error lure_compobj_parse(const uint8_t *data, size_t len, lure_compobj *out)
{
	lure_cursor c;
	lure_error err;
	uint32_t marker;

	memset(out, 0, sizeof(*out));
	if (data == NULL)
		return LURE_E_TRUNCATED;
	lure_cursor_init(&c, data, len);
	if (lure_cursor_skip(&c, COMPOBJ_HEADER_SIZE) != LURE_OK)
		return LURE_E_TRUNCATED;
	if ((err = read_length_prefixed(&c, false, &out->ansi_user_type)) != LURE_OK ||
	    (err = read_clipboard_format(&c, false, &out->ansi_clipboard_format,
					 &out->clipboard_format)) != LURE_OK ||
	    (err = read_length_prefixed(&c, false, &out->ansi_prog_id)) != LURE_OK)
		return err;
	/* The Unicode part is optional: anything but the marker ends here. */
	if (lure_cursor_u32le(&c, &marker) != LURE_OK || marker != LURE_COMPOBJ_UNICODE_MARKER)
		return LURE_OK;
	out->has_unicode = true;
	uint32_t unicode_format = 0;
	if ((err = read_length_prefixed(&c, true, &out->unicode_user_type)) != LURE_OK ||
	    (err = read_clipboard_format(&c, true, &out->unicode_clipboard_format,
					 &unicode_format)) != LURE_OK ||
	    (err = read_length_prefixed(&c, true, &out->unicode_prog_id)) != LURE_OK)
		return err;
	if (out->clipboard_format == 0)
		out->clipboard_format = unicode_format;
	return LURE_OK;
}

void lure_compobj_clear(lure_compobj *c)
{
	if (c == NULL)
		return;
	g_free(c->ansi_user_type);
	g_free(c->ansi_clipboard_format);
	g_free(c->ansi_prog_id);
	g_free(c->unicode_user_type);
	g_free(c->unicode_clipboard_format);
	g_free(c->unicode_prog_id);
	memset(c, 0, sizeof(*c));
}

static const char *first_nonempty(const char *a, const char *b)
{
	if (a != NULL && a[0] != '\0')
		return a;
	if (b != NULL && b[0] != '\0')
		return b;
	return NULL;
}

const char *lure_compobj_prog_id(const lure_compobj *c)
{
	return first_nonempty(c->ansi_prog_id, c->unicode_prog_id);
}

const char *lure_compobj_user_type(const lure_compobj *c)
{
	return first_nonempty(c->ansi_user_type, c->unicode_user_type);
}

/* ------------------------------------------------------------------------
 * The analyser.
 */

#define COMPOBJ_NAME "\\x01CompObj" /* "\x01CompObj" as the core displays it */
#define EQUATION_NATIVE_NAME "Equation Native"
/* Distinct classes reported per compound file; more are counted. */
#define CLSID_MAX_CLASSES 64u

static bool is_ole2(const lure_artifact *a)
{
	return a != NULL && a->kind != NULL && strcmp(a->kind, "ole2") == 0;
}

/* The last "/"-separated component of a stream name. */
static const char *last_component(const char *name)
{
	const char *slash = strrchr(name, '/');
	return slash != NULL ? slash + 1 : name;
}

static bool accepts(const lure_scan *scan, const lure_artifact *a)
{
	if (a->parent < 0 || strcmp(last_component(a->name), COMPOBJ_NAME) != 0)
		return false;
	return is_ole2(lure_scan_artifact(scan, (unsigned)a->parent));
}

static lure_error run(lure_scan *scan, lure_artifact *a)
{
	lure_compobj co;
	(void)scan;

	lure_compobj_parse(a->data, a->len, &co);
	const char *user_type = lure_compobj_user_type(&co);
	const char *prog_id = lure_compobj_prog_id(&co);
	if (user_type != NULL)
		lure_artifact_set_prop(a, "user_type", user_type);
	if (prog_id != NULL)
		lure_artifact_set_prop(a, "prog_id", prog_id);
	/* Two different ProgIDs: the one not shown is kept too. */
	if (co.ansi_prog_id != NULL && co.unicode_prog_id != NULL &&
	    co.unicode_prog_id[0] != '\0' && strcmp(co.ansi_prog_id, co.unicode_prog_id) != 0)
		lure_artifact_set_prop(a, "prog_id_unicode", co.unicode_prog_id);
	lure_compobj_clear(&co);
	return LURE_OK;
}

/* What one compound file and its streams say about classes. */
typedef struct ole_class {
	const char *clsid;   /* borrowed from a prop */
	const char *storage; /* where first seen; "" = root */
} ole_class;

typedef struct ole_container {
	lure_artifact *a;
	GArray *classes;         /* ole_class, distinct clsids in order */
	GHashTable *prog_ids;    /* storage -> ProgID (borrowed) */
	GHashTable *user_types;  /* storage -> user type (borrowed) */
	GHashTable *storage_clsid; /* storage -> clsid (borrowed) */
	GPtrArray *equation_streams; /* lure_artifact* named Equation Native */
	unsigned dropped;        /* distinct classes past CLSID_MAX_CLASSES */
} ole_container;

static ole_container *container_new(lure_artifact *a)
{
	ole_container *c = g_new0(ole_container, 1);
	c->a = a;
	c->classes = g_array_new(FALSE, FALSE, sizeof(ole_class));
	c->prog_ids = g_hash_table_new(g_str_hash, g_str_equal);
	c->user_types = g_hash_table_new(g_str_hash, g_str_equal);
	c->storage_clsid = g_hash_table_new(g_str_hash, g_str_equal);
	c->equation_streams = g_ptr_array_new();
	return c;
}

static void container_free(gpointer p)
{
	ole_container *c = p;
	g_array_free(c->classes, TRUE);
	g_hash_table_destroy(c->prog_ids);
	g_hash_table_destroy(c->user_types);
	g_hash_table_destroy(c->storage_clsid);
	g_ptr_array_free(c->equation_streams, TRUE);
	g_free(c);
}

static void container_add_class(ole_container *c, const char *clsid, const char *storage)
{
	if (clsid == NULL || clsid[0] == '\0')
		return;
	if (!g_hash_table_contains(c->storage_clsid, storage))
		g_hash_table_insert(c->storage_clsid, (gpointer)storage, (gpointer)clsid);
	for (guint i = 0; i < c->classes->len; i++)
		if (g_ascii_strcasecmp(g_array_index(c->classes, ole_class, i).clsid, clsid) == 0)
			return;
	if (c->classes->len >= CLSID_MAX_CLASSES) {
		c->dropped++;
		return;
	}
	ole_class k = {.clsid = clsid, .storage = storage};
	g_array_append_val(c->classes, k);
}

static const char *storage_of(const lure_artifact *a)
{
	const char *s = lure_artifact_get_prop(a, "storage");
	return s != NULL ? s : "";
}

/* Records what stream a (a child of c's compound file) says. */
static void container_add_stream(ole_container *c, lure_artifact *a)
{
	const char *storage = storage_of(a);
	const char *leaf = last_component(a->name);

	container_add_class(c, lure_artifact_get_prop(a, "storage_clsid"), storage);
	if (strcmp(leaf, COMPOBJ_NAME) == 0) {
		const char *prog = lure_artifact_get_prop(a, "prog_id");
		const char *user = lure_artifact_get_prop(a, "user_type");
		if (prog != NULL)
			g_hash_table_insert(c->prog_ids, (gpointer)storage, (gpointer)prog);
		if (user != NULL)
			g_hash_table_insert(c->user_types, (gpointer)storage, (gpointer)user);
	} else if (strcmp(leaf, EQUATION_NATIVE_NAME) == 0) {
		g_ptr_array_add(c->equation_streams, a);
	}
}

static void report_classes(lure_scan *scan, ole_container *c)
{
	for (guint i = 0; i < c->classes->len; i++) {
		const ole_class *k = &g_array_index(c->classes, ole_class, i);
		const lure_clsid_info *info = lure_clsid_lookup(k->clsid);
		const char *prog = g_hash_table_lookup(c->prog_ids, k->storage);
		const char *user = g_hash_table_lookup(c->user_types, k->storage);
		const char *name = info != NULL ? info->name : "unknown class";

		lure_finding *f = lure_finding_add(scan, c->a, LURE_IND_OLE_CLASS,
						   "OLE class %s: %s%s%s", k->clsid, name,
						   prog != NULL ? ", ProgID " : "",
						   prog != NULL ? prog : "");
		lure_finding_detail(f, "clsid", "%s", k->clsid);
		lure_finding_detail(f, "name", "%s", name);
		if (prog != NULL)
			lure_finding_detail(f, "prog_id", "%s", prog);
		if (user != NULL)
			lure_finding_detail(f, "user_type", "%s", user);
		lure_finding_detail(f, "storage", "%s", k->storage[0] != '\0' ? k->storage : "/");
		if (info != NULL && info->cve != NULL)
			lure_finding_detail(f, "cve", "%s", info->cve);
		if (info != NULL && (info->flags & LURE_CLSID_SUSPICIOUS))
			lure_finding_detail(f, "suspicious", "yes");
	}
	if (c->dropped > 0) {
		lure_finding *f = lure_finding_add(scan, c->a, LURE_IND_OLE_CLASS,
			"%u more distinct OLE classes not listed", c->dropped);
		lure_finding_detail(f, "not_listed", "%u", c->dropped);
	}
}

/* The compound files that already carry an ole.equation_editor finding, on
 * themselves or on one of their streams (another analyser may have judged
 * them): ids in a set, built once per finish pass. */
static GHashTable *equation_already_reported(const lure_scan *scan)
{
	GHashTable *ids = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (guint i = 0; i < scan->findings->len; i++) {
		const lure_finding *f = g_ptr_array_index(scan->findings, i);
		if (f->ind != LURE_IND_OLE_EQUATION_EDITOR)
			continue;
		const lure_artifact *on = lure_scan_artifact(scan, f->artifact);
		if (on == NULL)
			continue;
		g_hash_table_add(ids, GUINT_TO_POINTER(on->id));
		if (on->parent >= 0)
			g_hash_table_add(ids, GUINT_TO_POINTER((unsigned)on->parent));
	}
	return ids;
}

/* An "Equation Native" stream counts unless its storage names another
 * server by CLSID or ProgID (MathType). */
static bool equation_stream_counts(const ole_container *c, const lure_artifact *s)
{
	const char *storage = storage_of(s);
	const char *clsid = g_hash_table_lookup(c->storage_clsid, storage);
	const char *prog = g_hash_table_lookup(c->prog_ids, storage);
	const lure_clsid_info *info = lure_clsid_lookup(clsid);

	if (clsid != NULL && !(info != NULL && (info->flags & LURE_CLSID_EQUATION)))
		return false;
	if (prog != NULL && !lure_clsid_progid_is_equation(prog))
		return false;
	return true;
}

static void report_equation(lure_scan *scan, ole_container *c, GHashTable *reported)
{
	const char *clsid = NULL, *prog = NULL, *evidence = NULL, *stream = NULL;

	for (guint i = 0; i < c->classes->len && clsid == NULL; i++) {
		const ole_class *k = &g_array_index(c->classes, ole_class, i);
		const lure_clsid_info *info = lure_clsid_lookup(k->clsid);
		if (info != NULL && (info->flags & LURE_CLSID_EQUATION)) {
			clsid = k->clsid;
			evidence = "clsid";
			prog = g_hash_table_lookup(c->prog_ids, k->storage);
		}
	}
	if (evidence == NULL) {
		GHashTableIter it;
		gpointer key, value;
		g_hash_table_iter_init(&it, c->prog_ids);
		while (g_hash_table_iter_next(&it, &key, &value)) {
			if (lure_clsid_progid_is_equation(value)) {
				prog = value;
				clsid = g_hash_table_lookup(c->storage_clsid, key);
				evidence = "prog_id";
				break;
			}
		}
	}
	for (guint i = 0; i < c->equation_streams->len; i++) {
		const lure_artifact *s = g_ptr_array_index(c->equation_streams, i);
		if (equation_stream_counts(c, s)) {
			stream = s->name;
			if (evidence == NULL)
				evidence = "stream";
			break;
		}
	}
	if (evidence == NULL || g_hash_table_contains(reported, GUINT_TO_POINTER(c->a->id)))
		return;
	lure_finding *f = lure_finding_add(scan, c->a, LURE_IND_OLE_EQUATION_EDITOR,
					   "Equation Editor 3.0 object (%s)",
					   prog != NULL ? prog : clsid != NULL ? clsid : EQUATION_NATIVE_NAME);
	if (clsid != NULL)
		lure_finding_detail(f, "clsid", "%s", clsid);
	if (prog != NULL)
		lure_finding_detail(f, "prog_id", "%s", prog);
	if (stream != NULL)
		lure_finding_detail(f, "stream", "%s", stream);
	lure_finding_detail(f, "evidence", "%s", evidence);
	lure_finding_detail(f, "cve", "%s", EQUATION_CVE);
}

/* Once over the whole tree: every compound file with its streams. */
static lure_error finish(lure_scan *scan)
{
	GHashTable *by_id = g_hash_table_new(g_direct_hash, g_direct_equal);
	GPtrArray *order = g_ptr_array_new_with_free_func(container_free);

	for (guint i = 0; i < scan->artifacts->len; i++) {
		lure_artifact *a = g_ptr_array_index(scan->artifacts, i);
		if (is_ole2(a)) {
			ole_container *c = container_new(a);
			container_add_class(c, lure_artifact_get_prop(a, "root_clsid"), "");
			g_hash_table_insert(by_id, GUINT_TO_POINTER(a->id), c);
			g_ptr_array_add(order, c);
			continue;
		}
		if (a->parent < 0)
			continue;
		ole_container *c = g_hash_table_lookup(by_id, GUINT_TO_POINTER((unsigned)a->parent));
		if (c != NULL)
			container_add_stream(c, a);
	}
	GHashTable *reported = equation_already_reported(scan);
	for (guint i = 0; i < order->len; i++) {
		ole_container *c = g_ptr_array_index(order, i);
		report_classes(scan, c);
		report_equation(scan, c, reported);
	}
	g_hash_table_destroy(reported);
	g_ptr_array_free(order, TRUE);
	g_hash_table_destroy(by_id);
	return LURE_OK;
}

const lure_analyzer lure_analyzer_clsid = {
	.name = "clsid",
	.accepts = accepts,
	.run = run,
	.finish = finish,
};
