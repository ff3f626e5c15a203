#include "dossier/summary_pdf.hpp"

#include <hpdf.h>

#include <cstdio>
#include <memory>

#include "base/error.hpp"

namespace dossier::core {

namespace {

constexpr float kWidth = 595.0F, kHeight = 842.0F;  // A4 in points
constexpr float kMargin = 50.0F, kBottom = 70.0F;
const char* const kFonts[] = {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                              "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"};

/// libharu reports errors through a callback: the first one is kept and thrown after the call.
struct Failure {
    HPDF_STATUS code = HPDF_OK, detail = 0;
};

void on_error(HPDF_STATUS code, HPDF_STATUS detail, void* user) {
    auto* f = static_cast<Failure*>(user);
    if (f->code == HPDF_OK) {
        f->code = code;
        f->detail = detail;
    }
}

struct Column {
    float x, width;
};
const Column kWhat{kMargin, 300.0F}, kDate{kMargin + 308.0F, 70.0F}, kAuthor{kMargin + 386.0F, 109.0F};

class Writer {
public:
    Writer() : pdf_(HPDF_New(on_error, &failure_), HPDF_Free) {
        if (!pdf_) throw Error("the PDF library could not start");
        HPDF_UseUTFEncodings(pdf_.get());
        HPDF_SetCompressionMode(pdf_.get(), HPDF_COMP_ALL);
        for (const char* f : kFonts)
            if (!std::filesystem::exists(f))
                throw Error(ErrorCode::io, std::string("the PDF summary needs the font ") + f + " (Debian: fonts-dejavu-core)");
        regular_ = HPDF_GetFont(pdf_.get(), HPDF_LoadTTFontFromFile(pdf_.get(), kFonts[0], HPDF_TRUE), "UTF-8");
        bold_ = HPDF_GetFont(pdf_.get(), HPDF_LoadTTFontFromFile(pdf_.get(), kFonts[1], HPDF_TRUE), "UTF-8");
        check();
    }

    std::string render(const SummaryDocument& doc) {
        HPDF_SetInfoAttr(pdf_.get(), HPDF_INFO_TITLE, doc.title.c_str());
        HPDF_SetInfoAttr(pdf_.get(), HPDF_INFO_CREATOR, "Dossier");
        new_page();
        text(bold_, 18, kMargin, y_, doc.title);
        y_ -= 28;
        for (const auto& [label, value] : doc.identity) {
            text(bold_, 10, kMargin, y_, label);
            text(regular_, 10, kMargin + 90, y_, fit(regular_, 10, value, kWidth - 2 * kMargin - 90));
            y_ -= 15;
        }
        y_ -= 10;
        for (const auto& section : doc.sections) {
            room(60);
            text(bold_, 13, kMargin, y_, section.title);
            y_ -= 18;
            if (section.rows.empty()) {
                text(regular_, 9, kMargin, y_, "None recorded.");
                y_ -= 20;
                continue;
            }
            header();
            for (const auto& row : section.rows) {
                if (room(14)) header();
                text(regular_, 9, kWhat.x, y_, fit(regular_, 9, row.what, kWhat.width));
                text(regular_, 9, kDate.x, y_, fit(regular_, 9, row.date, kDate.width));
                text(regular_, 9, kAuthor.x, y_, fit(regular_, 9, row.author, kAuthor.width));
                y_ -= 13;
            }
            y_ -= 12;
        }
        // Footers last, when the number of pages is known.
        for (std::size_t i = 0; i < pages_.size(); ++i) {
            HPDF_Page page = pages_[i];
            HPDF_Page_SetLineWidth(page, 0.5F);
            HPDF_Page_MoveTo(page, kMargin, 44);
            HPDF_Page_LineTo(page, kWidth - kMargin, 44);
            HPDF_Page_Stroke(page);
            const std::string number = "Page " + std::to_string(i + 1) + " of " + std::to_string(pages_.size());
            on(page, regular_, 8, kMargin, 32, fit_on(page, regular_, 8, doc.footer, kWidth - 2 * kMargin - 70));
            HPDF_Page_SetFontAndSize(page, regular_, 8);
            on(page, regular_, 8, kWidth - kMargin - HPDF_Page_TextWidth(page, number.c_str()), 32, number);
        }
        check();
        HPDF_SaveToStream(pdf_.get());
        check();
        std::string out(HPDF_GetStreamSize(pdf_.get()), '\0');
        HPDF_UINT32 size = static_cast<HPDF_UINT32>(out.size());
        HPDF_ReadFromStream(pdf_.get(), reinterpret_cast<HPDF_BYTE*>(out.data()), &size);
        out.resize(size);
        check();
        return out;
    }

private:
    void check() const {
        if (failure_.code != HPDF_OK) {
            char code[32];
            std::snprintf(code, sizeof code, "0x%04X", static_cast<unsigned>(failure_.code));
            throw Error(std::string("the PDF library failed with error ") + code + " (detail " +
                        std::to_string(failure_.detail) + ")");
        }
    }

    void new_page() {
        page_ = HPDF_AddPage(pdf_.get());
        HPDF_Page_SetWidth(page_, kWidth);
        HPDF_Page_SetHeight(page_, kHeight);
        pages_.push_back(page_);
        y_ = kHeight - kMargin;
        check();
    }

    /// Starts a new page unless `height` points remain; true if it did.
    bool room(float height) {
        if (y_ - height >= kBottom) return false;
        new_page();
        return true;
    }

    void header() {
        text(bold_, 9, kWhat.x, y_, "Record");
        text(bold_, 9, kDate.x, y_, "Date");
        text(bold_, 9, kAuthor.x, y_, "Author");
        HPDF_Page_SetLineWidth(page_, 0.5F);
        HPDF_Page_MoveTo(page_, kMargin, y_ - 4);
        HPDF_Page_LineTo(page_, kWidth - kMargin, y_ - 4);
        HPDF_Page_Stroke(page_);
        y_ -= 16;
    }

    static void on(HPDF_Page page, HPDF_Font font, float size, float x, float y, const std::string& s) {
        HPDF_Page_BeginText(page);
        HPDF_Page_SetFontAndSize(page, font, size);
        HPDF_Page_TextOut(page, x, y, s.c_str());
        HPDF_Page_EndText(page);
    }

    void text(HPDF_Font font, float size, float x, float y, const std::string& s) { on(page_, font, size, x, y, s); }

    std::string fit(HPDF_Font font, float size, const std::string& s, float width) {
        return fit_on(page_, font, size, s, width);
    }

    /// `s` shortened at a UTF-8 character boundary, with an ellipsis, to fit `width`.
    static std::string fit_on(HPDF_Page page, HPDF_Font font, float size, std::string s, float width) {
        HPDF_Page_SetFontAndSize(page, font, size);
        if (HPDF_Page_TextWidth(page, s.c_str()) <= width) return s;
        while (!s.empty()) {
            // One character off: its continuation bytes, then its lead byte.
            while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
            if (!s.empty()) s.pop_back();
            const std::string shorter = s + "\u2026";
            if (HPDF_Page_TextWidth(page, shorter.c_str()) <= width) return shorter;
        }
        return s;
    }

    Failure failure_;
    std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, decltype(&HPDF_Free)> pdf_;
    HPDF_Font regular_ = nullptr, bold_ = nullptr;
    HPDF_Page page_ = nullptr;
    std::vector<HPDF_Page> pages_;
    float y_ = 0;
};

}  // namespace

std::string summary_pdf(const SummaryDocument& doc) { return Writer().render(doc); }

}  // namespace dossier::core
