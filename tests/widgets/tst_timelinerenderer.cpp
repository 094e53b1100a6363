// SPDX-License-Identifier: MIT
// Headless rendering of real runs: every built-in example renders to a PNG and an SVG of the
// asked width. Pixels are not compared (see tst_timelinegeometry for what is drawn); set
// LIFELINE_RENDER_DIR to keep the images for a human look.
#include "examples.h"
#include "scenarioloader.h"
#include "scenariorun.h"
#include "timelinerenderer.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace Lifeline;

class tst_TimelineRenderer : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void renderExample_data();
    void renderExample();
    void widthIsHonoured_data();
    void widthIsHonoured();
    void emptyLog();
    void unwritablePath();

private:
    QString m_dir;
    QTemporaryDir m_temp;
};

void tst_TimelineRenderer::initTestCase()
{
    QVERIFY(m_temp.isValid());
    m_dir = qEnvironmentVariable("LIFELINE_RENDER_DIR", m_temp.path());
    QDir().mkpath(m_dir);
}

void tst_TimelineRenderer::renderExample_data()
{
    QTest::addColumn<QString>("path");
    for (const ExampleInfo &e : Examples::all())
        QTest::newRow(qPrintable(e.name)) << e.resourcePath;
}

void tst_TimelineRenderer::renderExample()
{
    QFETCH(QString, path);
    std::vector<Diagnostic> diagnostics;
    auto scenario = ScenarioLoader::fromFile(path, &diagnostics);
    QVERIFY(scenario);
    ScenarioRun run(scenario);
    run.runToEnd();
    QVERIFY(run.log().count() > 0);
    const QString base = m_dir + QLatin1Char('/') + QFileInfo(path).baseName();
    QString error;
    QVERIFY2(TimelineRenderer::renderFile(run.log(), base + QStringLiteral(".png"), 1200, &error),
             qPrintable(error));
    QVERIFY(TimelineRenderer::renderFile(run.log(), base + QStringLiteral(".svg"), 1200));
    const QImage image(base + QStringLiteral(".png"));
    QCOMPARE(image.width(), 1200);
    QFile svg(base + QStringLiteral(".svg"));
    QVERIFY(svg.open(QIODevice::ReadOnly));
    const QByteArray text = svg.readAll();
    QVERIFY(text.contains("<svg"));
    QVERIFY(text.contains("Lifeline timeline"));
}

void tst_TimelineRenderer::widthIsHonoured_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("expected");
    QTest::newRow("default") << TimelineRenderer::DefaultWidth << TimelineRenderer::DefaultWidth;
    QTest::newRow("narrow") << 640 << 640;
    QTest::newRow("too narrow is widened") << 10 << 320;
}

void tst_TimelineRenderer::widthIsHonoured()
{
    QFETCH(int, width);
    QFETCH(int, expected);
    auto scenario
        = ScenarioLoader::fromFile(Examples::find(QStringLiteral("seed"))->resourcePath, nullptr);
    QVERIFY(scenario);
    ScenarioRun run(scenario);
    run.runToEnd();
    const QImage image = TimelineRenderer::renderImage(run.log(), width);
    QCOMPARE(image.width(), expected);
    QVERIFY(image.height() > 100);
}

void tst_TimelineRenderer::emptyLog()
{
    const EventLog log;
    const QImage image = TimelineRenderer::renderImage(log, 800);
    QCOMPARE(image.width(), 800);
}

void tst_TimelineRenderer::unwritablePath()
{
    const EventLog log;
    QString error;
    QVERIFY(
        !TimelineRenderer::renderFile(log, QStringLiteral("/nonexistent-dir/x.png"), 800, &error));
    QVERIFY(!error.isEmpty());
}

QTEST_MAIN(tst_TimelineRenderer)
#include "tst_timelinerenderer.moc"
