<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Labeling" labelsEnabled="0">
  <renderer-v2 type="categorizedSymbol" attr="grade" symbollevels="0" enableorderby="0" forceraster="0">
    <categories>
      <category value="major" symbol="0" label="重大（报街道领导） Major (to the street's leadership)" render="true"/>
      <category value="urgent" symbol="1" label="紧急（现场处置） Urgent (on-site dispatch)" render="true"/>
      <category value="routine" symbol="2" label="一般（网格平台） Routine (grid platform)" render="true"/>
    </categories>
    <symbols>
      <symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="color" v="106,27,154,255"/>
          <prop k="name" v="triangle"/>
          <prop k="size" v="4"/>
          <prop k="size_unit" v="MM"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_width" v="0.4"/>
        </layer>
      </symbol>
      <symbol type="marker" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="color" v="194,24,91,255"/>
          <prop k="name" v="triangle"/>
          <prop k="size" v="4"/>
          <prop k="size_unit" v="MM"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_width" v="0.4"/>
        </layer>
      </symbol>
      <symbol type="marker" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="color" v="21,101,192,255"/>
          <prop k="name" v="diamond"/>
          <prop k="size" v="4"/>
          <prop k="size_unit" v="MM"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_width" v="0.4"/>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
</qgis>
