<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Labeling" labelsEnabled="1">
  <renderer-v2 type="categorizedSymbol" attr="risk_level" symbollevels="0" enableorderby="0" forceraster="0">
    <categories>
      <category value="red" symbol="0" label="红色（高风险） Red (high risk)" render="true"/>
      <category value="yellow" symbol="1" label="黄色（关注） Yellow (watch)" render="true"/>
      <category value="green" symbol="2" label="绿色（正常） Green (normal)" render="true"/>
    </categories>
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="color" v="215,25,28,255"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="77,77,77,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.2"/>
          <prop k="outline_width_unit" v="MM"/>
        </layer>
      </symbol>
      <symbol type="fill" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="color" v="253,174,97,255"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="77,77,77,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.2"/>
          <prop k="outline_width_unit" v="MM"/>
        </layer>
      </symbol>
      <symbol type="fill" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="color" v="26,150,65,255"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="77,77,77,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.2"/>
          <prop k="outline_width_unit" v="MM"/>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="CASE WHEN &quot;risk_level&quot; = 'red' THEN &quot;building&quot; || '幢 ' || format_number(&quot;risk_score&quot;, 0) END" isExpression="1" fontFamily="WenQuanYi Micro Hei" fontSize="8" fontSizeUnit="Point" textColor="0,0,0,255">
        <text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor="255,255,255,255"/>
      </text-style>
      <placement placement="1"/>
      <rendering scaleVisibility="1" scaleMin="0" scaleMax="5000" obstacle="1"/>
    </settings>
  </labeling>
</qgis>
