# SPDX-License-Identifier: MIT
# Writes lifeline.1 from `lifeline --help-all`, so the man page says what the parser says.
#   cmake -DLIFELINE=<exe> -DVERSION=<x.y.z> -DOUT=<lifeline.1> -P manpage.cmake
# --help-all prints the top-level help, then each command's help opening with its `Usage:`
# line. The top-level usage becomes SYNOPSIS, its text DESCRIPTION, each command a subsection
# of COMMANDS; the text stays preformatted, as the terminal shows it.
execute_process(COMMAND ${LIFELINE} --help-all
    OUTPUT_VARIABLE text RESULT_VARIABLE status ERROR_VARIABLE errors)
if(NOT status EQUAL 0 OR NOT text MATCHES "^Usage: lifeline")
    message(FATAL_ERROR "${LIFELINE} --help-all failed (${status}): ${errors}")
endif()

# roff: a backslash is \e, a minus is \-, and a line may not start with a control character.
string(REPLACE "\\" "\\e" text "${text}")
string(REPLACE "-" "\\-" text "${text}")
string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")

string(FIND "${text}" "\n\nUsage: " commands_at)
string(SUBSTRING "${text}" 0 ${commands_at} top)
string(SUBSTRING "${text}" ${commands_at} -1 commands)
string(FIND "${top}" "\n\n" usage_end)
string(SUBSTRING "${top}" 0 ${usage_end} synopsis)
math(EXPR description_at "${usage_end} + 2")
string(SUBSTRING "${top}" ${description_at} -1 description)
string(REGEX REPLACE "^Usage: " "" synopsis "${synopsis}")
string(REGEX REPLACE "\n +" "\n" synopsis "${synopsis}")
# NAME: the description's first clause ("Shows how ...: runs ..." gives "shows how ...").
string(REGEX MATCH "^[^:.]+" summary "${description}")
string(REPLACE "\n" " " summary "${summary}")
string(SUBSTRING "${summary}" 0 1 first)
string(TOLOWER "${first}" first)
string(SUBSTRING "${summary}" 1 -1 summary)
string(REGEX REPLACE "\n\nUsage: lifeline ([a-z\\-]+)"
    "\n.fi\n.SS \"lifeline \\1\"\n.nf\nUsage: lifeline \\1" commands "${commands}")
string(REGEX REPLACE "^\n.fi\n" "" commands "${commands}")

file(WRITE ${OUT} ".TH LIFELINE 1 \"\" \"Lifeline ${VERSION}\" \"User Commands\"
.SH NAME
lifeline \\- ${first}${summary}
.SH SYNOPSIS
.nf
${synopsis}
.fi
.SH DESCRIPTION
.nf
${description}
.fi
.SH COMMANDS
${commands}.fi
")
# Debian keeps man pages compressed.
file(ARCHIVE_CREATE OUTPUT ${OUT}.gz PATHS ${OUT} FORMAT raw COMPRESSION GZip)
