// SPDX-License-Identifier: MIT
// Build-time tool: renders an SVG icon to square PNGs for the hicolor icon theme, so the
// package ships the usual sizes without a rasteriser as a build dependency (Qt SVG is one
// already). Usage: lifeline-svgtopng IN.svg OUTDIR SIZE... writes OUTDIR/SIZExSIZE/NAME.png.
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>

#include <cstdio>

int main(int argc, char **argv)
{
    if (argc < 4) {
        std::fputs("usage: lifeline-svgtopng IN.svg OUTDIR SIZE...\n", stderr);
        return 2;
    }
    const QString in = QString::fromLocal8Bit(argv[1]);
    QSvgRenderer svg(in);
    if (!svg.isValid()) {
        std::fprintf(stderr, "lifeline-svgtopng: %s: not a valid SVG\n", argv[1]);
        return 1;
    }
    const QDir out(QString::fromLocal8Bit(argv[2]));
    const QString name = QFileInfo(in).completeBaseName() + QStringLiteral(".png");
    for (int i = 3; i < argc; ++i) {
        const int size = QByteArray(argv[i]).toInt();
        if (size <= 0) {
            std::fprintf(stderr, "lifeline-svgtopng: %s: not a size\n", argv[i]);
            return 2;
        }
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        {
            QPainter painter(&image);
            painter.setRenderHint(QPainter::Antialiasing);
            svg.render(&painter);
        }
        const QString dir = QStringLiteral("%1x%1").arg(size);
        if (!out.mkpath(dir) || !image.save(out.filePath(dir + u'/' + name))) {
            std::fprintf(stderr, "lifeline-svgtopng: cannot write %s\n",
                         qPrintable(out.filePath(dir + u'/' + name)));
            return 1;
        }
    }
    return 0;
}
