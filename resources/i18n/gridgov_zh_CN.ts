<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>GridGovDock</name>
    <message>
        <location filename="../../plugin/dock.py" line="60"/>
        <source>gridgov street grid governance</source>
        <translation>gridgov 街道网格化治理</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="75"/>
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="76"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="78"/>
        <source>Reports</source>
        <translation>报告</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="89"/>
        <source>Which layer is which? Proposed from names and fields; change what is wrong.</source>
        <translation>各图层分别是什么？已按名称和字段自动识别，如有不对请修改。</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="91"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="91"/>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="91"/>
        <source>Fields</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="112"/>
        <source>Propose layers again</source>
        <translation>重新识别图层</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="115"/>
        <source>Pick a row to map its fields.</source>
        <translation>选中一行以对应其字段。</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="118"/>
        <source>Field</source>
        <translation>标准字段</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="118"/>
        <source>Column</source>
        <translation>图层中的字段</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="168"/>
        <source>needed</source>
        <translation>必需</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="170"/>
        <source>map: {}</source>
        <translation>需对应：{}</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="183"/>
        <source>Fields of {}</source>
        <translation>{}的字段</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="218"/>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="235"/>
        <source>1 Validate</source>
        <translation>1 校验</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="235"/>
        <source>3 Field maps (PDF)</source>
        <translation>3 网格作战图（PDF）</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="235"/>
        <source>4 Web map</source>
        <translation>4 驾驶舱网页地图</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="235"/>
        <source>Run all</source>
        <translation>全部运行</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="246"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="306"/>
        <source>choose a layer for: {}</source>
        <translation>请选择图层：{}</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="314"/>
        <source>map the fields {} of {}</source>
        <translation>请对应字段 {}（{}）</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="320"/>
        <source>street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="340"/>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="370"/>
        <source>gridgov: validating the layers</source>
        <translation>gridgov：正在校验图层</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="376"/>
        <source>Validation: {} errors, {} warnings.</source>
        <translation>校验：{} 个错误，{} 个警告。</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="389"/>
        <source>gridgov: analysing the street</source>
        <translation>gridgov：正在分析街道</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="397"/>
        <source>The layers have errors: see the validation report.</source>
        <translation>图层存在错误，请查看校验报告。</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="413"/>
        <source>Analysed {} houses: {} red, {} yellow, {} green.</source>
        <translation>已分析 {} 栋房屋：红色 {}，黄色 {}，绿色 {}。</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="416"/>
        <source>{:.1%} reached within the promise.</source>
        <translation>时限内可达 {:.1%}。</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="436"/>
        <source>Field-map layers</source>
        <translation>作战图图层</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="446"/>
        <source>gridgov: printing the field maps</source>
        <translation>gridgov：正在输出网格作战图</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="458"/>
        <source>Field maps: layout &apos;{}&apos; in the project;</source>
        <translation>作战图：布局“{}”已加入工程；</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="483"/>
        <source>gridgov: writing the web map</source>
        <translation>gridgov：正在生成网页地图</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="488"/>
        <source>Web map written:</source>
        <translation>网页地图已生成：</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="499"/>
        <source>Validation</source>
        <translation>校验</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="502"/>
        <source>Matching</source>
        <translation>匹配</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="504"/>
        <source>Risk by grid</source>
        <translation>各网格风险</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="521"/>
        <source>Coverage by defense zone</source>
        <translation>各防区覆盖</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="521"/>
        <source>Coverage by patrol zone</source>
        <translation>各巡区覆盖</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="226"/>
        <source>Colour houses by risk</source>
        <translation>房屋风险三色</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="226"/>
        <source>Five-minute coverage and new bases</source>
        <translation>五分钟响应圈与新增驻点</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="231"/>
        <source>After the join</source>
        <translation>关联之后</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="235"/>
        <source>2 Analyse: join, then the steps ticked</source>
        <translation>2 分析：人房事关联及所选步骤</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="410"/>
        <source>Analysed {} houses.</source>
        <translation>已分析 {} 栋房屋。</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="423"/>
        <source>Analyse the street first, with risk colouring ticked.</source>
        <translation>请先分析街道（勾选房屋风险三色）。</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="310"/>
        <source>layer {} cannot be read: check its source</source>
        <translation>图层 {} 无法读取：请检查其数据源</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="312"/>
        <source>layer {} has no CRS: set it in the layer&apos;s properties</source>
        <translation>图层 {} 没有坐标参考系：请在图层属性中设置</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="509"/>
        <source>Back-test</source>
        <translation>回测</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="520"/>
        <source>Closed loop</source>
        <translation>事件闭环</translation>
    </message>
    <message>
        <location filename="../../plugin/dock.py" line="488"/>
        <source>command-centre screen:</source>
        <translation>指挥中心大屏：</translation>
    </message>
</context>
<context>
    <name>GridGovPlugin</name>
    <message>
        <location filename="../../plugin/main.py" line="38"/>
        <source>gridgov street grid governance</source>
        <translation>gridgov 街道网格化治理</translation>
    </message>
</context>
<context>
    <name>InstallDialog</name>
    <message>
        <location filename="../../plugin/install_dialog.py" line="30"/>
        <source>gridgov: install dependencies</source>
        <translation>gridgov：安装依赖</translation>
    </message>
    <message>
        <location filename="../../plugin/install_dialog.py" line="38"/>
        <source>Install from the internet</source>
        <translation>从网络安装</translation>
    </message>
    <message>
        <location filename="../../plugin/install_dialog.py" line="39"/>
        <source>Install from a wheelhouse…</source>
        <translation>从离线安装包安装…</translation>
    </message>
    <message>
        <location filename="../../plugin/install_dialog.py" line="40"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../plugin/install_dialog.py" line="54"/>
        <source>Wheelhouse (.zip), or any wheel in its folder</source>
        <translation>离线安装包（.zip），或其文件夹中的任一 wheel 文件</translation>
    </message>
    <message>
        <location filename="../../plugin/install_dialog.py" line="89"/>
        <source>Installed. gridgov is ready.</source>
        <translation>安装完成，gridgov 已可使用。</translation>
    </message>
    <message>
        <location filename="../../plugin/install_dialog.py" line="89"/>
        <source>pip stopped with exit code {code}; see the log.</source>
        <translation>pip 已停止，退出码 {code}；请查看日志。</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <location filename="../../plugin/reports.py" line="13"/>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="14"/>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="20"/>
        <source>Records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="16"/>
        <source>Finding</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="17"/>
        <source>Examples</source>
        <translation>示例</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="18"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="19"/>
        <source>Outcome</source>
        <translation>匹配方式</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="21"/>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="22"/>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="23"/>
        <source>Defense zone</source>
        <translation>防区</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="24"/>
        <source>Patrol zone</source>
        <translation>巡区</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="25"/>
        <source>Houses</source>
        <translation>房屋</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="26"/>
        <source>Red</source>
        <translation>红色</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="27"/>
        <source>Yellow</source>
        <translation>黄色</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="28"/>
        <source>Green</source>
        <translation>绿色</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="29"/>
        <source>Red share</source>
        <translation>红色占比</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="30"/>
        <source>Yellow share</source>
        <translation>黄色占比</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="31"/>
        <source>Green share</source>
        <translation>绿色占比</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="32"/>
        <source>Houses reached</source>
        <translation>可达房屋</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="33"/>
        <source>Off the network</source>
        <translation>不在路网上</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="34"/>
        <source>Reached only from another zone</source>
        <translation>仅他区可达</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="35"/>
        <source>People</source>
        <translation>人口</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="36"/>
        <source>People reached</source>
        <translation>可达人口</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="37"/>
        <source>Slowest (s)</source>
        <translation>最慢（秒）</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="38"/>
        <source>Houses reached, share</source>
        <translation>房屋可达率</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="39"/>
        <source>People reached, share</source>
        <translation>人口可达率</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="40"/>
        <source>Area reached, share</source>
        <translation>面积可达率</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="41"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="42"/>
        <source>Not reached</source>
        <translation>不可达</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="43"/>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="44"/>
        <source>Houses with an event after</source>
        <translation>其后有事件房屋</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="45"/>
        <source>Events after</source>
        <translation>其后事件</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="46"/>
        <source>Events per house after</source>
        <translation>每户其后事件</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="47"/>
        <source>Share with an event after</source>
        <translation>命中率</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="48"/>
        <source>Lift over green</source>
        <translation>较绿色提升</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="64"/>
        <source>Scored on {date}, events in the {days} days after: red lift {lift:.1f}×, red list precision {precision:.0%}, weekly visits' list precision {visits:.0%}, AUC {auc:.2f}</source>
        <translation>以 {date} 前数据评分，统计其后 {days} 天事件：红色提升 {lift:.1f}×，红色名单命中率 {precision:.0%}，每周走访名单命中率 {visits:.0%}，评分区分度 AUC {auc:.2f}</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="49"/>
        <source>Stage</source>
        <translation>环节</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="50"/>
        <source>Stage (Chinese)</source>
        <translation>环节（中文）</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="51"/>
        <source>Target (min)</source>
        <translation>目标（分钟）</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="52"/>
        <source>Events</source>
        <translation>事件数</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="53"/>
        <source>Within target</source>
        <translation>达标率</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="54"/>
        <source>Median (min)</source>
        <translation>中位（分钟）</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="55"/>
        <source>90 % (min)</source>
        <translation>90%（分钟）</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="56"/>
        <source>Level (Chinese)</source>
        <translation>层级（中文）</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="57"/>
        <source>Target share</source>
        <translation>目标占比</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="58"/>
        <source>Closure rate</source>
        <translation>办结率</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="59"/>
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="60"/>
        <source>Events a day</source>
        <translation>日均事件</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="61"/>
        <source>Open</source>
        <translation>未办结</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="62"/>
        <source>Closed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location filename="../../plugin/reports.py" line="67"/>
        <source>Closure rate today {today} ({today_events} events), this month {month} ({month_events} events), in all {all} ({all_events} events); as of {day}</source>
        <translation>今日办结率 {today}（{today_events} 件），本月 {month}（{month_events} 件），累计 {all}（{all_events} 件）；数据截至 {day}</translation>
    </message>
</context>
</TS>
