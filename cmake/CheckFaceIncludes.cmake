# Fails when a face (apps/cli, apps/desktop) includes a project header other than the client
# API's (src/dossier/client/) or its own: the faces reach Dossier through that one door only.
# Run by the build with -DFILES=<file|file|...> -DSTAMP=<file> -DROOT=<the face's folder>; a
# quoted include with a folder is the face's own when it names a file under ROOT.
string(REPLACE "|" ";" FILES "${FILES}")
foreach(f IN LISTS FILES)
  file(STRINGS "${f}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"[^\"]*/")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "^[^\"]*\"([^\"]*)\".*$" "\\1" path "${line}")
    if(NOT path MATCHES "^dossier/client/" AND NOT EXISTS "${ROOT}/${path}")
      message(FATAL_ERROR "${f}: ${line}\n  a face may include only the client API (dossier/client/...) and its own headers")
    endif()
  endforeach()
endforeach()
file(WRITE "${STAMP}" "ok\n")
