/* desk-about.h: the About window, filled from the application's AppStream metainfo
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The facts of the metainfo (data/<app id>.metainfo.xml.in, compiled into
 * the resources) the About window shows: one source for the software
 * centres and the app. Strings are the untranslated ones of the file. */
typedef struct {
  char *id;
  char *name;
  char *summary;
  char *project_license;   /* SPDX */
  char *developer_name;
  char *homepage;
  char *bugtracker;
  char *release_version;   /* the newest release (the first listed) */
  char *release_notes;     /* its description as AdwAboutWindow markup,
                            * each paragraph and item translated */
} DeskAppInfo;

/* Parses a metainfo document; NULL with @error when it is not one. */
DeskAppInfo *desk_app_info_parse (const char  *xml,
                                  gssize       length,
                                  GError     **error);
/* The one compiled into the resources. */
DeskAppInfo *desk_app_info_load  (GError     **error);
void         desk_app_info_free  (DeskAppInfo *self);

/* An AdwAboutWindow with name, icon, version (the build's, meson's project
 * version), developer, licence, website, issue page, release notes of the
 * current release and the translators of the current language
 * (gettext "translator-credits"); transient for @parent when given. */
GtkWidget   *desk_about_window_new (GtkWindow *parent);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskAppInfo, desk_app_info_free)

G_END_DECLS
