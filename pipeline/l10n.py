"""Words docloc itself puts on a page, in the languages Microsoft publishes most.

One owner for every string a reader sees that no catalog translates: DocFX alert
titles, the notices a translated page carries, and the site's own chrome (the
"Read in English" toggle, the coverage page). A language missing here shows
English. Keys are language codes (``fr``), not locales: ``fr-FR`` and ``fr-CA``
readers read the same words.
"""

from __future__ import annotations

ALERT_TITLES = {
    "fr": {"NOTE": "Remarque", "TIP": "Conseil", "IMPORTANT": "Important",
           "WARNING": "Avertissement", "CAUTION": "Attention"},
    "de": {"NOTE": "Hinweis", "TIP": "Tipp", "IMPORTANT": "Wichtig",
           "WARNING": "Warnung", "CAUTION": "Vorsicht"},
    "es": {"NOTE": "Nota", "TIP": "Sugerencia", "IMPORTANT": "Importante",
           "WARNING": "Advertencia", "CAUTION": "Precaución"},
    "it": {"NOTE": "Nota", "TIP": "Suggerimento", "IMPORTANT": "Importante",
           "WARNING": "Avviso", "CAUTION": "Attenzione"},
    "pt": {"NOTE": "Observação", "TIP": "Dica", "IMPORTANT": "Importante",
           "WARNING": "Aviso", "CAUTION": "Cuidado"},
    "ar": {"NOTE": "ملاحظة", "TIP": "تلميح", "IMPORTANT": "هام",
           "WARNING": "تحذير", "CAUTION": "تنبيه"},
    "ja": {"NOTE": "注意", "TIP": "ヒント", "IMPORTANT": "重要",
           "WARNING": "警告", "CAUTION": "注意事項"},
    "zh": {"NOTE": "备注", "TIP": "提示", "IMPORTANT": "重要",
           "WARNING": "警告", "CAUTION": "注意"},
}
"""DocFX alert titles in the languages Microsoft publishes most (English otherwise)."""
DOCFX_LABELS = {
    "fr": {"LONG_DESCRIPTION": "Description détaillée"},
    "de": {"LONG_DESCRIPTION": "Ausführliche Beschreibung"},
    "es": {"LONG_DESCRIPTION": "Descripción detallada"},
    "it": {"LONG_DESCRIPTION": "Descrizione dettagliata"},
    "pt": {"LONG_DESCRIPTION": "Descrição detalhada"},
    "ar": {"LONG_DESCRIPTION": "وصف مفصل"},
    "ja": {"LONG_DESCRIPTION": "詳細な説明"},
    "zh": {"LONG_DESCRIPTION": "详细说明"},
}
"""Words of DocFX constructs other than alerts (a complex image's long description)."""
NOTICES = {
    "missing": "This page is not available in this language yet; it is shown in English.",
    "partial": "Part of this page is not yet translated ({percent} % translated); "
               "untranslated passages are shown in English.",
    "mt": "This page was translated by a machine. Hover over or tap a passage "
          "to see the English original."}
"""What a target-language page says of itself, in English (the default)."""

LOCALIZED_NOTICES = {
    "fr": {"missing": "Cette page n’est pas encore disponible dans cette langue ; elle est "
                      "affichée en anglais.",
           "partial": "Une partie de cette page n’est pas encore traduite ({percent} % "
                      "traduit) ; les passages non traduits sont affichés en anglais.",
           "mt": "Cette page a été traduite automatiquement. Survolez ou touchez un passage "
                 "pour voir l’original en anglais."},
    "de": {"missing": "Diese Seite ist in dieser Sprache noch nicht verfügbar; sie wird auf "
                      "Englisch angezeigt.",
           "partial": "Ein Teil dieser Seite ist noch nicht übersetzt ({percent} % übersetzt); "
                      "nicht übersetzte Abschnitte werden auf Englisch angezeigt.",
           "mt": "Diese Seite wurde maschinell übersetzt. Zeigen Sie auf einen Abschnitt oder "
                 "tippen Sie darauf, um das englische Original zu sehen."},
    "es": {"missing": "Esta página aún no está disponible en este idioma; se muestra en inglés.",
           "partial": "Parte de esta página aún no está traducida ({percent} % traducido); "
                      "los pasajes sin traducir se muestran en inglés.",
           "mt": "Esta página se tradujo automáticamente. Pase el puntero sobre un pasaje o "
                 "tóquelo para ver el original en inglés."},
    "it": {"missing": "Questa pagina non è ancora disponibile in questa lingua; viene mostrata "
                      "in inglese.",
           "partial": "Parte di questa pagina non è ancora tradotta ({percent} % tradotto); "
                      "i passaggi non tradotti sono mostrati in inglese.",
           "mt": "Questa pagina è stata tradotta automaticamente. Passa il puntatore su un "
                 "passaggio o toccalo per vedere l’originale in inglese."},
    "pt": {"missing": "Esta página ainda não está disponível neste idioma; ela é exibida em "
                      "inglês.",
           "partial": "Parte desta página ainda não foi traduzida ({percent} % traduzido); "
                      "os trechos não traduzidos são exibidos em inglês.",
           "mt": "Esta página foi traduzida automaticamente. Passe o ponteiro sobre um trecho "
                 "ou toque nele para ver o original em inglês."},
    "ar": {"missing": "هذه الصفحة غير متوفرة بهذه اللغة بعد، وهي معروضة باللغة الإنجليزية.",
           "partial": "جزء من هذه الصفحة غير مترجم بعد (نسبة الترجمة {percent}%)، وتُعرض "
                      "المقاطع غير المترجمة باللغة الإنجليزية.",
           "mt": "تُرجمت هذه الصفحة آليًا. مرّر المؤشر فوق مقطع أو اضغط عليه لرؤية النص "
                 "الإنجليزي الأصلي."},
    "ja": {"missing": "このページはまだこの言語で提供されていないため、英語で表示しています。",
           "partial": "このページの一部はまだ翻訳されていません (翻訳済み {percent}%)。"
                      "未翻訳の部分は英語で表示しています。",
           "mt": "このページは機械翻訳されています。文章にポインターを合わせるかタップすると、"
                 "英語の原文が表示されます。"},
    "zh": {"missing": "此页面尚未提供该语言版本，现以英文显示。",
           "partial": "此页面的部分内容尚未翻译（已翻译 {percent}%），未翻译的段落以英文显示。",
           "mt": "此页面为机器翻译。将指针悬停在段落上或点按段落，即可查看英文原文。"},
}
"""The notices in the languages Microsoft publishes most, as for DocFX alert titles."""

UI = {
    "en": {"read_in_english": "Read in English", "back": "Back to {name}",
           "coverage": "Translation coverage",
           "coverage_summary": "{translated} of {total} messages translated, {fuzzy} fuzzy "
                               "(shown in English until reviewed). Figures from `docloc check`.",
           "page": "Page", "translated": "Translated", "fuzzy": "Fuzzy",
           "untranslated": "Untranslated", "words": "Words", "home": "Home",
           "sections": "In this documentation", "more": "{count} more in this section"},
    "fr": {"read_in_english": "Lire en anglais", "back": "Revenir au français",
           "coverage": "Couverture de la traduction",
           "coverage_summary": "{translated} messages traduits sur {total}, {fuzzy} à revoir "
                               "(affichés en anglais jusqu’à leur révision). Chiffres de "
                               "`docloc check`.",
           "page": "Page", "translated": "Traduits", "fuzzy": "À revoir",
           "untranslated": "Non traduits", "words": "Mots", "home": "Accueil",
           "sections": "Dans cette documentation", "more": "{count} autres dans cette section"},
    "de": {"read_in_english": "Auf Englisch lesen", "back": "Zurück zu Deutsch",
           "coverage": "Übersetzungsstand",
           "coverage_summary": "{translated} von {total} Meldungen übersetzt, {fuzzy} zu prüfen "
                               "(bis zur Prüfung auf Englisch angezeigt). Zahlen aus "
                               "`docloc check`.",
           "page": "Seite", "translated": "Übersetzt", "fuzzy": "Zu prüfen",
           "untranslated": "Nicht übersetzt", "words": "Wörter", "home": "Startseite",
           "sections": "In dieser Dokumentation", "more": "{count} weitere in diesem Abschnitt"},
    "es": {"read_in_english": "Leer en inglés", "back": "Volver al español",
           "coverage": "Cobertura de la traducción",
           "coverage_summary": "{translated} de {total} mensajes traducidos, {fuzzy} por revisar "
                               "(se muestran en inglés hasta su revisión). Cifras de "
                               "`docloc check`.",
           "page": "Página", "translated": "Traducidos", "fuzzy": "Por revisar",
           "untranslated": "Sin traducir", "words": "Palabras", "home": "Inicio",
           "sections": "En esta documentación", "more": "{count} más en esta sección"},
    "it": {"read_in_english": "Leggi in inglese", "back": "Torna all’italiano",
           "coverage": "Copertura della traduzione",
           "coverage_summary": "{translated} messaggi tradotti su {total}, {fuzzy} da rivedere "
                               "(mostrati in inglese fino alla revisione). Dati di "
                               "`docloc check`.",
           "page": "Pagina", "translated": "Tradotti", "fuzzy": "Da rivedere",
           "untranslated": "Non tradotti", "words": "Parole", "home": "Home",
           "sections": "In questa documentazione", "more": "Altri {count} in questa sezione"},
    "pt": {"read_in_english": "Ler em inglês", "back": "Voltar ao português",
           "coverage": "Cobertura da tradução",
           "coverage_summary": "{translated} de {total} mensagens traduzidas, {fuzzy} a revisar "
                               "(exibidas em inglês até a revisão). Números do "
                               "`docloc check`.",
           "page": "Página", "translated": "Traduzidas", "fuzzy": "A revisar",
           "untranslated": "Não traduzidas", "words": "Palavras", "home": "Início",
           "sections": "Nesta documentação", "more": "Mais {count} nesta seção"},
    "ar": {"read_in_english": "القراءة بالإنجليزية", "back": "العودة إلى العربية",
           "coverage": "نسبة الترجمة",
           "coverage_summary": "تمت ترجمة {translated} من {total} رسالة، و{fuzzy} بحاجة إلى "
                               "مراجعة (تُعرض بالإنجليزية حتى تُراجع). الأرقام من "
                               "`docloc check`.",
           "page": "الصفحة", "translated": "مترجمة", "fuzzy": "بحاجة إلى مراجعة",
           "untranslated": "غير مترجمة", "words": "الكلمات", "home": "الرئيسية",
           "sections": "في هذه الوثائق", "more": "{count} أخرى في هذا القسم"},
    "ja": {"read_in_english": "英語で読む", "back": "日本語に戻る",
           "coverage": "翻訳の状況",
           "coverage_summary": "{total} 件中 {translated} 件のメッセージが翻訳済み、{fuzzy} 件が"
                               "要確認です (確認されるまで英語で表示)。数値は `docloc check` "
                               "によるものです。",
           "page": "ページ", "translated": "翻訳済み", "fuzzy": "要確認",
           "untranslated": "未翻訳", "words": "単語数", "home": "ホーム",
           "sections": "このドキュメントの内容", "more": "このセクションの他の {count} 件"},
    "zh": {"read_in_english": "阅读英文版", "back": "返回中文",
           "coverage": "翻译覆盖率",
           "coverage_summary": "已翻译 {translated}/{total} 条消息，{fuzzy} 条待审核（审核前以英文"
                               "显示）。数据来自 `docloc check`。",
           "page": "页面", "translated": "已翻译", "fuzzy": "待审核",
           "untranslated": "未翻译", "words": "字数", "home": "主页",
           "sections": "本文档内容", "more": "本节还有 {count} 项"},
}
"""The site's own words (buttons, the coverage page, the generated home page)."""


def ui(code: str) -> dict[str, str]:
    """The site's words in the language ``code`` (``fr``), English where it has none."""
    return {**UI["en"], **UI.get(code, {})}

EDITOR = {
    "en": {"title": "Edit the translation", "close": "Close", "source": "English source",
           "markup": "Markup as written", "translation": "Translation", "state": "State",
           "translated": "Translated", "fuzzy": "Fuzzy", "untranslated": "Untranslated",
           "machine": "Machine translation", "fuzzy_box": "Fuzzy: needs review (the page "
           "shows English until it is cleared)", "comments": "Translator notes",
           "notes": "Notes from the source and the vendor",
           "previous": "The English changed (before → now)", "suggestions": "Suggestions",
           "use": "Use", "findings": "Checks", "save": "Save", "next_untranslated":
           "Next untranslated", "next_fuzzy": "Next fuzzy", "keys": "Ctrl+Enter saves, "
           "Escape closes.", "saving": "Saving…", "saved": "Saved. The page reloads as "
           "soon as it is rebuilt…", "not_saved": "Not saved: {message}",
           "conflict": "The catalog changed on disk since this panel opened (another tool "
           "or person saved it). Nothing was written.", "yours": "Your text",
           "conflict_title": "Conflict: nothing was written",
           "theirs": "In the file now", "reload": "Reload the page",
           "missing": "This page has no translation of its own yet: saving creates its "
           "catalog, as docloc extract would.", "none_left": "No more segments of this kind "
           "in this language.", "searching": "Looking in the next page…",
           "rebuilt": "The page was rebuilt; it reloads when you close this panel.",
           "catalog": "Catalog", "occurrences": "Used {count} times in this page",
           "score": "{score} % match", "unsaved": "Your unsaved text (before the reload)"},
    "fr": {"title": "Modifier la traduction", "close": "Fermer", "source": "Texte source "
           "(anglais)", "markup": "Balisage tel qu’écrit", "translation": "Traduction",
           "state": "État", "translated": "Traduit", "fuzzy": "À revoir",
           "untranslated": "Non traduit", "machine": "Traduction automatique",
           "fuzzy_box": "À revoir (la page affiche l’anglais tant que la case est cochée)",
           "comments": "Notes du traducteur", "notes": "Notes de la source et du prestataire",
           "previous": "L’anglais a changé (avant → maintenant)", "suggestions": "Suggestions",
           "use": "Utiliser", "findings": "Vérifications", "save": "Enregistrer",
           "next_untranslated": "Non traduit suivant", "next_fuzzy": "À revoir suivant",
           "keys": "Ctrl+Entrée enregistre, Échap ferme.", "saving": "Enregistrement…",
           "saved": "Enregistré. La page se recharge dès qu’elle est reconstruite…",
           "not_saved": "Non enregistré : {message}",
           "conflict": "Le catalogue a changé sur le disque depuis l’ouverture de ce panneau "
           "(un autre outil ou une autre personne l’a enregistré). Rien n’a été écrit.",
           "conflict_title": "Conflit : rien n’a été écrit",
           "yours": "Votre texte", "theirs": "Dans le fichier maintenant",
           "reload": "Recharger la page", "missing": "Cette page n’a pas encore de traduction "
           "propre : l’enregistrement crée son catalogue, comme docloc extract.",
           "none_left": "Plus aucun segment de ce type dans cette langue.",
           "searching": "Recherche dans la page suivante…",
           "rebuilt": "La page a été reconstruite ; elle se recharge quand vous fermez ce "
           "panneau.", "catalog": "Catalogue", "occurrences": "Utilisé {count} fois dans "
           "cette page", "score": "Correspondance de {score} %",
           "unsaved": "Votre texte non enregistré (avant le rechargement)"},
    "de": {"title": "Übersetzung bearbeiten", "close": "Schließen", "source": "Englischer "
           "Ausgangstext", "markup": "Markup wie geschrieben", "translation": "Übersetzung",
           "state": "Status", "translated": "Übersetzt", "fuzzy": "Zu prüfen",
           "untranslated": "Nicht übersetzt", "machine": "Maschinelle Übersetzung",
           "fuzzy_box": "Zu prüfen (die Seite zeigt Englisch, bis das Häkchen entfernt ist)",
           "comments": "Anmerkungen des Übersetzers", "notes": "Anmerkungen aus der Quelle "
           "und vom Dienstleister", "previous": "Der englische Text hat sich geändert "
           "(vorher → jetzt)", "suggestions": "Vorschläge", "use": "Übernehmen",
           "findings": "Prüfungen", "save": "Speichern", "next_untranslated": "Nächste "
           "nicht übersetzte", "next_fuzzy": "Nächste zu prüfende", "keys": "Strg+Eingabe "
           "speichert, Esc schließt.", "saving": "Wird gespeichert…", "saved": "Gespeichert. "
           "Die Seite wird neu geladen, sobald sie neu erstellt ist…",
           "not_saved": "Nicht gespeichert: {message}", "conflict": "Der Katalog wurde "
           "seit dem Öffnen dieses Bereichs auf dem Datenträger geändert (von einem anderen "
           "Werkzeug oder einer anderen Person). Es wurde nichts geschrieben.",
           "conflict_title": "Konflikt: nichts wurde geschrieben",
           "yours": "Ihr Text", "theirs": "Jetzt in der Datei", "reload": "Seite neu laden",
           "missing": "Diese Seite hat noch keine eigene Übersetzung: Speichern legt ihren "
           "Katalog an, wie docloc extract.", "none_left": "Keine weiteren Segmente dieser "
           "Art in dieser Sprache.", "searching": "Suche auf der nächsten Seite…",
           "rebuilt": "Die Seite wurde neu erstellt; sie wird neu geladen, wenn Sie diesen "
           "Bereich schließen.", "catalog": "Katalog", "occurrences": "{count}-mal auf "
           "dieser Seite verwendet", "score": "{score} % Übereinstimmung",
           "unsaved": "Ihr nicht gespeicherter Text (vor dem Neuladen)"},
    "es": {"title": "Editar la traducción", "close": "Cerrar", "source": "Texto de origen "
           "(inglés)", "markup": "Marcado tal como está escrito", "translation": "Traducción",
           "state": "Estado", "translated": "Traducido", "fuzzy": "Por revisar",
           "untranslated": "Sin traducir", "machine": "Traducción automática",
           "fuzzy_box": "Por revisar (la página muestra el inglés mientras esté marcado)",
           "comments": "Notas del traductor", "notes": "Notas del origen y del proveedor",
           "previous": "El inglés cambió (antes → ahora)", "suggestions": "Sugerencias",
           "use": "Usar", "findings": "Comprobaciones", "save": "Guardar",
           "next_untranslated": "Siguiente sin traducir", "next_fuzzy": "Siguiente por "
           "revisar", "keys": "Ctrl+Intro guarda, Esc cierra.", "saving": "Guardando…",
           "saved": "Guardado. La página se recarga en cuanto se reconstruye…",
           "not_saved": "No se guardó: {message}", "conflict": "El catálogo cambió en el "
           "disco desde que se abrió este panel (otra herramienta u otra persona lo guardó). "
           "No se escribió nada.", "conflict_title": "Conflicto: no se escribió nada",
           "yours": "Su texto", "theirs": "En el archivo ahora",
           "reload": "Recargar la página", "missing": "Esta página aún no tiene traducción "
           "propia: al guardar se crea su catálogo, como lo haría docloc extract.",
           "none_left": "No quedan más segmentos de este tipo en este idioma.",
           "searching": "Buscando en la página siguiente…", "rebuilt": "La página se "
           "reconstruyó; se recarga cuando cierre este panel.", "catalog": "Catálogo",
           "occurrences": "Se usa {count} veces en esta página", "score": "Coincidencia del "
           "{score} %", "unsaved": "Su texto sin guardar (antes de recargar)"},
    "ar": {"title": "تعديل الترجمة", "close": "إغلاق", "source": "النص المصدر (الإنجليزية)",
           "markup": "الترميز كما كُتب", "translation": "الترجمة", "state": "الحالة",
           "translated": "مترجم", "fuzzy": "بحاجة إلى مراجعة", "untranslated": "غير مترجم",
           "machine": "ترجمة آلية", "fuzzy_box": "بحاجة إلى مراجعة (تعرض الصفحة النص "
           "الإنجليزي ما دام هذا الخيار محددًا)", "comments": "ملاحظات المترجم",
           "notes": "ملاحظات المصدر والمورّد", "previous": "تغيّر النص الإنجليزي (قبل ← الآن)",
           "suggestions": "اقتراحات", "use": "استخدام", "findings": "عمليات التحقق",
           "save": "حفظ", "next_untranslated": "غير المترجم التالي",
           "next_fuzzy": "التالي بحاجة إلى مراجعة", "keys": "Ctrl+Enter للحفظ، وEscape "
           "للإغلاق.", "saving": "جارٍ الحفظ…", "saved": "تم الحفظ. يُعاد تحميل الصفحة فور "
           "إعادة إنشائها…", "not_saved": "لم يتم الحفظ: {message}",
           "conflict": "تغيّر الكتالوج على القرص منذ فتح هذه اللوحة (حفظه أداة أخرى أو شخص "
           "آخر). لم تتم كتابة أي شيء.", "conflict_title": "تعارض: لم تتم كتابة أي شيء",
           "yours": "نصك", "theirs": "الموجود في الملف الآن",
           "reload": "إعادة تحميل الصفحة", "missing": "ليست لهذه الصفحة ترجمة خاصة بها بعد: "
           "ينشئ الحفظ الكتالوج الخاص بها كما يفعل docloc extract.",
           "none_left": "لا توجد مقاطع أخرى من هذا النوع بهذه اللغة.",
           "searching": "جارٍ البحث في الصفحة التالية…", "rebuilt": "أُعيد إنشاء الصفحة؛ "
           "سيُعاد تحميلها عند إغلاق هذه اللوحة.", "catalog": "الكتالوج",
           "occurrences": "مستخدم {count} مرات في هذه الصفحة", "score": "تطابق بنسبة "
           "{score}%", "unsaved": "نصك غير المحفوظ (قبل إعادة التحميل)"},
}
"""The words of ``docloc serve --edit``'s panel (English where a language has none)."""


def editor_strings(code: str) -> dict[str, str]:
    """The editor panel's words in the language ``code`` (``fr``), English where it has none."""
    return {**EDITOR["en"], **EDITOR.get(code, {})}
