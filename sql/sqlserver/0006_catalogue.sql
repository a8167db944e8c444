-- The service catalogue, the citizen's guide (issue 10). It replaces the registry's service categories by
-- extending their table in place: the codes stay, so cases.category_code keeps pointing at them and nothing
-- has to be copied (SQLite cannot change a column or drop a foreign key without rebuilding the table).
-- service_categories.name is the Romanian name; the English and Hungarian ones sit beside it.
-- SQL Server compiles the whole script before running it, and a statement naming a column that the script adds to an
-- existing table fails to compile (error 207): the UPDATEs and the INSERT into service_categories below run through
-- EXEC, compiled when they run, after the ALTERs.
ALTER TABLE service_categories ADD name_en nvarchar(200) NOT NULL DEFAULT N'';
ALTER TABLE service_categories ADD name_hu nvarchar(200) NOT NULL DEFAULT N'';
ALTER TABLE service_categories ADD description_ro nvarchar(2000) NOT NULL DEFAULT N'';
ALTER TABLE service_categories ADD description_en nvarchar(2000) NOT NULL DEFAULT N'';
ALTER TABLE service_categories ADD description_hu nvarchar(2000) NOT NULL DEFAULT N'';
ALTER TABLE service_categories ADD department nvarchar(200) NOT NULL DEFAULT N'Registratură și relații cu publicul';
-- The fee in bani (1 leu = 100 bani), exact like every amount in the schema; 0 = free or no fixed fee (the description says).
ALTER TABLE service_categories ADD fee_bani BIGINT NOT NULL DEFAULT 0;
-- Comma-separated, from: desk, phone, web, email, map, field, post. A call to the phone robot (ivr) counts as phone.
ALTER TABLE service_categories ADD channels nvarchar(100) NOT NULL DEFAULT N'desk,phone,web,email,post';
-- An incident category: shown on the public map, with questions for the reporter (Open311 service attributes).
ALTER TABLE service_categories ADD incident BIGINT NOT NULL DEFAULT 0;
ALTER TABLE service_categories ADD updated_at BIGINT NULL;
ALTER TABLE service_categories ADD updated_by nvarchar(64) NULL;

CREATE TABLE service_documents (
    service_code nvarchar(40) NOT NULL REFERENCES service_categories (code),
    position     BIGINT       NOT NULL,
    name_ro      nvarchar(300) NOT NULL,
    name_en      nvarchar(300) NOT NULL,
    name_hu      nvarchar(300) NOT NULL,
    PRIMARY KEY (service_code, position)
);

-- What to ask whoever reports an incident, modelled on Open311 GeoReport v2 service definitions
-- (https://wiki.open311.org/GeoReport_v2/#get-service-definition): code, datatype, required, order,
-- description (the question) and, for lists, values with key and name.
CREATE TABLE service_attributes (
    service_code nvarchar(40) NOT NULL REFERENCES service_categories (code),
    code         nvarchar(40) NOT NULL,
    position     BIGINT       NOT NULL,
    datatype     nvarchar(20) NOT NULL CHECK (datatype IN (N'string', N'number', N'datetime', N'text', N'singlevaluelist', N'multivaluelist')),
    required     BIGINT       NOT NULL DEFAULT 0,
    question_ro  nvarchar(300) NOT NULL,
    question_en  nvarchar(300) NOT NULL,
    question_hu  nvarchar(300) NOT NULL,
    PRIMARY KEY (service_code, code)
);

CREATE TABLE service_attribute_values (
    service_code   nvarchar(40) NOT NULL,
    attribute_code nvarchar(40) NOT NULL,
    position       BIGINT       NOT NULL,
    value_key      nvarchar(40) NOT NULL,
    name_ro        nvarchar(200) NOT NULL,
    name_en        nvarchar(200) NOT NULL,
    name_hu        nvarchar(200) NOT NULL,
    PRIMARY KEY (service_code, attribute_code, value_key),
    FOREIGN KEY (service_code, attribute_code) REFERENCES service_attributes (service_code, code)
);

-- Every change an admin makes, with who made it and the service as it was before and after (JSON).
CREATE TABLE service_catalogue_changes (
    seq          BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    service_code nvarchar(40) NOT NULL REFERENCES service_categories (code),
    changed_at   BIGINT       NOT NULL,
    actor        nvarchar(64) NOT NULL,
    change       nvarchar(10) NOT NULL CHECK (change IN (N'added', N'changed')),
    summary      nvarchar(500) NOT NULL,
    before_json  nvarchar(max) NULL,
    after_json   nvarchar(max) NOT NULL
);
CREATE INDEX ix_service_catalogue_changes_service ON service_catalogue_changes (service_code, seq);

-- The seven categories of issue 4 keep their codes and gain their catalogue entries.
-- Terms: Law 50/1991 gives 15 days for a certificat de urbanism and 30 for a building permit.
EXEC(N'UPDATE service_categories SET name = N''Cerere generală'', name_en = N''General request'', name_hu = N''Általános kérelem'',
    description_ro = N''Orice cerere adresată primăriei care nu se încadrează în alt serviciu din ghid.'',
    description_en = N''Any request to the city hall that fits no other service in this guide.'',
    description_hu = N''Bármely, a polgármesteri hivatalhoz intézett kérelem, amely nem tartozik az útmutató más szolgáltatásához.'',
    department = N''Registratură și relații cu publicul'', channels = N''desk,phone,web,email,map,field,post''
    WHERE code = N''general''');
EXEC(N'UPDATE service_categories SET name = N''Certificat de atestare fiscală'', name_en = N''Tax clearance certificate'', name_hu = N''Adóigazolás (adóügyi bizonyítvány)'',
    description_ro = N''Atestă că nu aveți datorii la bugetul local; necesar la vânzarea unui imobil sau a unui autovehicul.'',
    description_en = N''Shows that you owe nothing to the local budget; needed when selling a property or a vehicle.'',
    description_hu = N''Igazolja, hogy nincs tartozása a helyi költségvetés felé; ingatlan vagy gépjármű eladásakor szükséges.'',
    department = N''Direcția de Impozite și Taxe Locale'', channels = N''desk,phone,web,email,post''
    WHERE code = N''fiscal_certificate''');
EXEC(N'UPDATE service_categories SET name = N''Certificat de urbanism'', name_en = N''Town-planning certificate'', name_hu = N''Városrendezési bizonyítvány'',
    processing_days = 15, fee_bani = 1500,
    description_ro = N''Informează asupra regimului juridic, economic și tehnic al unui teren și asupra avizelor necesare pentru construire. Taxa depinde de suprafață; suma arătată este pentru cel mult 150 mp.'',
    description_en = N''States the legal, economic and technical status of a plot and the approvals needed to build. The fee depends on the area; the amount shown is for up to 150 m².'',
    description_hu = N''Tájékoztat egy telek jogi, gazdasági és műszaki helyzetéről, valamint az építéshez szükséges engedélyekről. Az illeték a területtől függ; a feltüntetett összeg legfeljebb 150 m²-re vonatkozik.'',
    department = N''Direcția Urbanism și Amenajarea Teritoriului'', channels = N''desk,web,email,post''
    WHERE code = N''urbanism_certificate''');
EXEC(N'UPDATE service_categories SET name = N''Autorizație de construire'', name_en = N''Building permit'', name_hu = N''Építési engedély'',
    description_ro = N''Actul care permite executarea lucrărilor de construire. Taxa este 0,5% din valoarea autorizată a lucrărilor, calculată la depunere.'',
    description_en = N''The permit to carry out building works. The fee is 0.5% of the authorised value of the works, worked out when you apply.'',
    description_hu = N''Az építési munkálatok elvégzését lehetővé tevő engedély. Az illeték a munkálatok engedélyezett értékének 0,5%-a, a benyújtáskor számítják ki.'',
    department = N''Direcția Urbanism și Amenajarea Teritoriului'', channels = N''desk,web,email,post''
    WHERE code = N''building_permit''');
EXEC(N'UPDATE service_categories SET name = N''Acte de stare civilă'', name_en = N''Civil status records'', name_hu = N''Anyakönyvi ügyek'',
    description_ro = N''Cereri privind actele de stare civilă: transcrieri, rectificări, mențiuni, extrase multilingve.'',
    description_en = N''Requests about civil status records: transcriptions, corrections, annotations, multilingual extracts.'',
    description_hu = N''Anyakönyvi okiratokkal kapcsolatos kérelmek: átírások, helyesbítések, bejegyzések, többnyelvű kivonatok.'',
    department = N''Serviciul Public Comunitar Local de Evidență a Persoanelor – Stare Civilă'', channels = N''desk,phone,web,email,post''
    WHERE code = N''civil_status''');
EXEC(N'UPDATE service_categories SET name = N''Sesizare drumuri, iluminat, salubritate'', name_en = N''Report about roads, street lighting or cleaning'', name_hu = N''Bejelentés utakról, közvilágításról, köztisztaságról'',
    description_ro = N''O problemă în oraș care nu are o categorie proprie pe hartă.'',
    description_en = N''A problem in town that has no category of its own on the map.'',
    description_hu = N''Városi probléma, amelynek nincs saját kategóriája a térképen.'',
    department = N''Direcția Tehnică – Drumuri și Lucrări Publice'', channels = N''desk,phone,web,email,map,field,post''
    WHERE code = N''public_works''');
EXEC(N'UPDATE service_categories SET name = N''Abonament / autorizație de parcare'', name_en = N''Parking subscription or permit'', name_hu = N''Parkolási bérlet vagy engedély'',
    fee_bani = 30000,
    description_ro = N''Abonament anual pentru parcările publice cu plată. Suma arătată este pentru un an.'',
    description_en = N''A yearly subscription for the paid public car parks. The amount shown is for one year.'',
    description_hu = N''Éves bérlet a fizetős közparkolókhoz. A feltüntetett összeg egy évre szól.'',
    department = N''Serviciul Parcări'', channels = N''desk,phone,web,email,post''
    WHERE code = N''parking_permit''');

-- The rest of a municipality's guide. Fees are the usual amounts of a local council's yearly decision on local taxes;
-- each city hall corrects them (PUT /api/catalogue/services/{code}).
EXEC(N'INSERT INTO service_categories (code, name, name_en, name_hu, processing_days, fee_bani, channels, incident, department,
                                description_ro, description_en, description_hu) VALUES
-- Local taxes
(N''building_tax_return'', N''Declarație fiscală pentru clădiri și terenuri'', N''Tax return for buildings and land'', N''Épület- és telekadó-bevallás'', 30, 0, N''desk,web,email,post'', 0, N''Direcția de Impozite și Taxe Locale'',
 N''Declararea unei clădiri sau a unui teren dobândit, construit sau modificat, în 30 de zile de la dobândire.'', N''Declaring a building or plot you acquired, built or altered, within 30 days of acquiring it.'', N''A megszerzett, megépített vagy átalakított épület vagy telek bevallása a megszerzéstől számított 30 napon belül.''),
(N''vehicle_tax_registration'', N''Înregistrarea unui mijloc de transport în evidența fiscală'', N''Registering a vehicle for local tax'', N''Gépjármű bejegyzése a helyi adónyilvántartásba'', 5, 0, N''desk,web,email,post'', 0, N''Direcția de Impozite și Taxe Locale'',
 N''Declararea unui autovehicul cumpărat, în 30 de zile de la dobândire.'', N''Declaring a vehicle you bought, within 30 days of buying it.'', N''A vásárolt gépjármű bevallása a megszerzéstől számított 30 napon belül.''),
(N''vehicle_tax_deregistration'', N''Scoaterea din evidența fiscală a unui mijloc de transport'', N''Removing a vehicle from the local tax register'', N''Gépjármű törlése a helyi adónyilvántartásból'', 5, 0, N''desk,web,email,post'', 0, N''Direcția de Impozite și Taxe Locale'',
 N''După vânzarea, radierea sau furtul vehiculului.'', N''After the vehicle was sold, deregistered or stolen.'', N''A jármű eladása, forgalomból való kivonása vagy ellopása után.''),
(N''tax_refund'', N''Restituirea sumelor plătite în plus'', N''Refund of overpaid local taxes'', N''Túlfizetett helyi adók visszatérítése'', 45, 0, N''desk,web,email,post'', 0, N''Direcția de Impozite și Taxe Locale'',
 N''Sumele plătite în plus sau fără temei se restituie la cerere.'', N''Amounts paid twice or without cause are refunded on request.'', N''A többletként vagy jogalap nélkül befizetett összegeket kérésre visszatérítik.''),
(N''tax_instalments'', N''Eșalonarea la plată a obligațiilor fiscale'', N''Paying local taxes in instalments'', N''Helyi adótartozás részletekben történő megfizetése'', 30, 0, N''desk,email,post'', 0, N''Direcția de Impozite și Taxe Locale'',
 N''Plata datoriilor către bugetul local în rate lunare, cu aprobare.'', N''Paying what you owe to the local budget in monthly instalments, once approved.'', N''A helyi költségvetés felé fennálló tartozás havi részletekben történő megfizetése, jóváhagyás után.''),
-- Urbanism
(N''demolition_permit'', N''Autorizație de desființare'', N''Demolition permit'', N''Bontási engedély'', 30, 0, N''desk,web,email,post'', 0, N''Direcția Urbanism și Amenajarea Teritoriului'',
 N''Actul care permite demolarea unei construcții. Taxa este 0,1% din valoarea impozabilă a construcției.'', N''The permit to demolish a building. The fee is 0.1% of the building''''s taxable value.'', N''Egy építmény lebontását lehetővé tevő engedély. Az illeték az építmény adóköteles értékének 0,1%-a.''),
(N''address_certificate'', N''Certificat de nomenclatură stradală și adresă'', N''Street name and address certificate'', N''Utcanév- és címigazolás'', 10, 1000, N''desk,web,email,post'', 0, N''Direcția Urbanism și Amenajarea Teritoriului'',
 N''Atestă adresa poștală a unui imobil, necesară la notar, la cartea funciară sau la racordarea la utilități.'', N''Confirms a property''''s postal address, needed by notaries, the land register and utility companies.'', N''Igazolja egy ingatlan postai címét; közjegyzőnél, telekkönyvnél és közműbekötéskor szükséges.''),
(N''works_acceptance'', N''Recepția la terminarea lucrărilor'', N''Acceptance of completed building works'', N''Műszaki átadás-átvétel a munkálatok befejezésekor'', 15, 0, N''desk,email,post'', 0, N''Direcția Urbanism și Amenajarea Teritoriului'',
 N''Comisia primăriei constată că lucrările au fost executate conform autorizației.'', N''The city hall''''s committee checks that the works were carried out as permitted.'', N''A hivatal bizottsága megállapítja, hogy a munkálatokat az engedély szerint végezték el.''),
(N''urbanism_certificate_extension'', N''Prelungirea certificatului de urbanism'', N''Extending a town-planning certificate'', N''Városrendezési bizonyítvány meghosszabbítása'', 15, 450, N''desk,web,email,post'', 0, N''Direcția Urbanism și Amenajarea Teritoriului'',
 N''Se cere cu cel puțin 15 zile înainte de expirare; taxa este 30% din taxa inițială.'', N''Apply at least 15 days before it expires; the fee is 30% of the original fee.'', N''A lejárat előtt legalább 15 nappal kell kérni; az illeték az eredeti illeték 30%-a.''),
-- Civil status
(N''birth_registration'', N''Înregistrarea nașterii'', N''Registering a birth'', N''Születés anyakönyvezése'', 1, 0, N''desk'', 0, N''Serviciul Public Comunitar Local de Evidență a Persoanelor – Stare Civilă'',
 N''Declararea nașterii se face de către părinți în 30 de zile de la naștere.'', N''The parents declare the birth within 30 days of it.'', N''A születést a szülők a születéstől számított 30 napon belül jelentik be.''),
(N''death_registration'', N''Înregistrarea decesului'', N''Registering a death'', N''Haláleset anyakönyvezése'', 1, 0, N''desk'', 0, N''Serviciul Public Comunitar Local de Evidență a Persoanelor – Stare Civilă'',
 N''Decesul se declară în 3 zile de la data constatării; se eliberează certificatul de deces.'', N''A death is declared within 3 days of being certified; the death certificate is issued.'', N''A halálesetet a megállapítástól számított 3 napon belül kell bejelenteni; kiállítják a halotti anyakönyvi kivonatot.''),
(N''marriage'', N''Încheierea căsătoriei'', N''Civil marriage'', N''Házasságkötés'', 10, 0, N''desk'', 0, N''Serviciul Public Comunitar Local de Evidență a Persoanelor – Stare Civilă'',
 N''Declarația de căsătorie se depune personal de viitorii soți cu cel puțin 10 zile înainte de oficiere.'', N''Both future spouses make the marriage declaration in person at least 10 days before the ceremony.'', N''A házassági szándékot a jegyesek személyesen jelentik be, legalább 10 nappal a házasságkötés előtt.''),
(N''civil_certificate_duplicate'', N''Eliberarea unui certificat de stare civilă (duplicat)'', N''Duplicate civil status certificate'', N''Anyakönyvi kivonat másodlatának kiállítása'', 5, 200, N''desk,email,post'', 0, N''Serviciul Public Comunitar Local de Evidență a Persoanelor – Stare Civilă'',
 N''Certificat de naștere, de căsătorie sau de deces eliberat din nou, în locul celui pierdut sau deteriorat.'', N''A birth, marriage or death certificate issued again in place of one lost or damaged.'', N''Elveszett vagy megrongálódott születési, házassági vagy halotti anyakönyvi kivonat újbóli kiállítása.''),
(N''name_change'', N''Schimbarea numelui pe cale administrativă'', N''Change of name by administrative procedure'', N''Névváltoztatás közigazgatási úton'', 30, 1500, N''desk,post'', 0, N''Serviciul Public Comunitar Local de Evidență a Persoanelor – Stare Civilă'',
 N''Schimbarea numelui de familie sau a prenumelui pentru motive temeinice.'', N''Changing a surname or first name for good reason.'', N''Család- vagy utónév megváltoztatása megalapozott okból.''),
(N''administrative_divorce'', N''Divorțul pe cale administrativă'', N''Divorce by administrative procedure'', N''Közigazgatási úton történő válás'', 30, 50000, N''desk'', 0, N''Serviciul Public Comunitar Local de Evidență a Persoanelor – Stare Civilă'',
 N''Pentru soții de acord, fără copii minori; după 30 de zile de reflecție, soții se prezintă personal.'', N''For spouses who agree and have no minor children; after 30 days to reflect, both come in person.'', N''Egyetértő, kiskorú gyermek nélküli házastársak számára; 30 napos gondolkodási idő után mindketten személyesen jelennek meg.''),
-- Social assistance
(N''social_aid'', N''Ajutor social (venitul minim de incluziune)'', N''Social aid (minimum inclusion income)'', N''Szociális segély (minimális befogadó jövedelem)'', 30, 0, N''desk,email,field,post'', 0, N''Direcția de Asistență Socială'',
 N''Sprijin lunar pentru familiile și persoanele singure cu venituri mici.'', N''Monthly support for families and single people on a low income.'', N''Havi támogatás alacsony jövedelmű családok és egyedülálló személyek számára.''),
(N''heating_aid'', N''Ajutor pentru încălzirea locuinței'', N''Home heating aid'', N''Lakásfűtési támogatás'', 30, 0, N''desk,email,field,post'', 0, N''Direcția de Asistență Socială'',
 N''Ajutor pentru sezonul rece (noiembrie–martie), după venitul familiei.'', N''Help for the cold season (November–March), according to the family''''s income.'', N''Támogatás a hideg évszakra (novembertől márciusig), a család jövedelme szerint.''),
(N''child_allowance'', N''Alocația de stat pentru copii'', N''State child allowance'', N''Állami gyermekpótlék'', 30, 0, N''desk,email,post'', 0, N''Direcția de Asistență Socială'',
 N''Cererea pentru alocația lunară a copilului, plătită până la 18 ani.'', N''Applying for the monthly child allowance, paid until the age of 18.'', N''A 18 éves korig folyósított havi gyermekpótlék igénylése.''),
(N''personal_assistant'', N''Asistent personal pentru persoana cu handicap grav'', N''Personal assistant for a person with a severe disability'', N''Személyi asszisztens súlyos fogyatékossággal élő személy számára'', 30, 0, N''desk,email,field,post'', 0, N''Direcția de Asistență Socială'',
 N''Angajarea unui asistent personal sau plata indemnizației lunare, la alegere.'', N''Employing a personal assistant or receiving the monthly allowance instead, as you choose.'', N''Személyi asszisztens alkalmazása vagy helyette havi juttatás, választás szerint.''),
(N''emergency_aid'', N''Ajutor de urgență'', N''Emergency aid'', N''Sürgősségi segély'', 10, 0, N''desk,phone,email,field,post'', 0, N''Direcția de Asistență Socială'',
 N''Pentru situații de necesitate: incendiu, inundație, calamitate, boală gravă.'', N''For emergencies: fire, flood, natural disaster, serious illness.'', N''Szükséghelyzetekre: tűz, árvíz, természeti csapás, súlyos betegség.''),
(N''elderly_home_care'', N''Îngrijire la domiciliu pentru persoane vârstnice'', N''Home care for the elderly'', N''Idősek otthoni gondozása'', 30, 0, N''desk,phone,email,field,post'', 0, N''Direcția de Asistență Socială'',
 N''Evaluarea nevoilor și îngrijire la domiciliu pentru vârstnicii singuri sau dependenți.'', N''An assessment of needs and care at home for older people who live alone or depend on others.'', N''Szükségletfelmérés és otthoni gondozás egyedül élő vagy másokra utalt idősek számára.''),
-- Incidents (shown on the map)
(N''pothole'', N''Groapă în carosabil'', N''Pothole in the road'', N''Kátyú az úttesten'', 10, 0, N''desk,phone,web,email,map,field'', 1, N''Direcția Tehnică – Drumuri și Lucrări Publice'',
 N''Semnalați o groapă în asfalt pe o stradă a orașului.'', N''Report a pothole in a city street.'', N''Jelezze az úttest kátyúját a város valamely utcájában.''),
(N''street_light'', N''Iluminat public defect'', N''Street light not working'', N''Közvilágítási hiba'', 5, 0, N''desk,phone,web,email,map,field'', 1, N''Serviciul Iluminat Public'',
 N''Un stâlp de iluminat stins, care pâlpâie sau rămâne aprins ziua.'', N''A street light that is out, flickers or stays on by day.'', N''Nem világító, villogó vagy nappal is égő közvilágítási lámpa.''),
(N''illegal_dumping'', N''Gunoi depozitat ilegal'', N''Illegally dumped rubbish'', N''Illegális hulladéklerakás'', 5, 0, N''desk,phone,web,email,map,field'', 1, N''Serviciul Salubrizare'',
 N''Deșeuri aruncate pe domeniul public, în afara punctelor de colectare.'', N''Waste left on public land, away from the collection points.'', N''Közterületen, a gyűjtőpontokon kívül elhagyott hulladék.''),
(N''missed_collection'', N''Gunoi neridicat'', N''Missed bin collection'', N''Elmaradt hulladékszállítás'', 2, 0, N''desk,phone,web,email,map'', 1, N''Serviciul Salubrizare'',
 N''Containerele nu au fost golite în ziua programată.'', N''The bins were not emptied on the scheduled day.'', N''A konténereket nem ürítették ki a tervezett napon.''),
(N''damaged_pavement'', N''Trotuar deteriorat'', N''Damaged pavement'', N''Sérült járda'', 30, 0, N''desk,phone,web,email,map,field'', 1, N''Direcția Tehnică – Drumuri și Lucrări Publice'',
 N''Dale sparte, borduri lipsă sau trotuar blocat.'', N''Broken slabs, missing kerbs or a blocked pavement.'', N''Törött lapok, hiányzó szegély vagy elzárt járda.''),
(N''traffic_sign'', N''Indicator rutier sau semafor defect'', N''Damaged traffic sign or faulty traffic light'', N''Sérült közlekedési tábla vagy hibás jelzőlámpa'', 3, 0, N''desk,phone,web,email,map,field'', 1, N''Direcția Tehnică – Drumuri și Lucrări Publice'',
 N''Indicator căzut, lipsă sau acoperit, semafor nefuncțional, marcaje șterse.'', N''A sign fallen, missing or hidden, a traffic light not working, worn road markings.'', N''Kidőlt, hiányzó vagy eltakart tábla, nem működő jelzőlámpa, kopott útburkolati jel.''),
(N''fallen_tree'', N''Copac căzut sau periculos'', N''Fallen or dangerous tree'', N''Kidőlt vagy veszélyes fa'', 3, 0, N''desk,phone,web,email,map,field'', 1, N''Serviciul Spații Verzi'',
 N''Un copac sau o creangă căzută ori pe cale să cadă.'', N''A tree or a branch that has fallen or is about to fall.'', N''Kidőlt vagy kidőléssel fenyegető fa vagy faág.''),
(N''stray_dogs'', N''Câini fără stăpân'', N''Stray dogs'', N''Kóbor kutyák'', 5, 0, N''desk,phone,web,email,map,field'', 1, N''Serviciul pentru Gestionarea Câinilor fără Stăpân'',
 N''Câini fără stăpân într-un loc public.'', N''Dogs without an owner in a public place.'', N''Gazdátlan kutyák közterületen.''),
(N''snow_ice'', N''Zăpadă sau gheață neîndepărtată'', N''Snow or ice not cleared'', N''Eltakarítatlan hó vagy jég'', 1, 0, N''desk,phone,web,email,map,field'', 1, N''Direcția Tehnică – Drumuri și Lucrări Publice'',
 N''Stradă, trotuar sau stație de autobuz necurățate de zăpadă ori gheață.'', N''A street, pavement or bus stop not cleared of snow or ice.'', N''Hótól vagy jégtől meg nem tisztított utca, járda vagy buszmegálló.''),
(N''manhole_cover'', N''Capac de canal lipsă sau deteriorat'', N''Missing or broken manhole cover'', N''Hiányzó vagy sérült aknafedél'', 1, 0, N''desk,phone,web,email,map,field'', 1, N''Direcția Tehnică – Drumuri și Lucrări Publice'',
 N''Un capac de canal lipsă, spart sau denivelat pe stradă ori trotuar.'', N''A manhole cover missing, broken or uneven in a street or pavement.'', N''Hiányzó, törött vagy egyenetlen aknafedél az úttesten vagy a járdán.''),
(N''graffiti'', N''Graffiti pe domeniul public'', N''Graffiti on public property'', N''Falfirka közterületen'', 30, 0, N''desk,phone,web,email,map,field'', 1, N''Direcția Tehnică – Drumuri și Lucrări Publice'',
 N''Inscripții sau desene pe clădiri publice, mobilier urban ori monumente.'', N''Writing or drawings on public buildings, street furniture or monuments.'', N''Feliratok vagy rajzok középületeken, utcabútorokon vagy emlékműveken.''),
(N''abandoned_vehicle'', N''Vehicul abandonat'', N''Abandoned vehicle'', N''Elhagyott jármű'', 30, 0, N''desk,phone,web,email,map,field'', 1, N''Poliția Locală'',
 N''Un vehicul lăsat pe domeniul public, vizibil neîngrijit, de mult timp.'', N''A vehicle left on public land, visibly neglected, for a long time.'', N''Hosszú ideje közterületen hagyott, láthatóan elhanyagolt jármű.''),
(N''illegal_parking'', N''Vehicul parcat neregulamentar'', N''Illegally parked vehicle'', N''Szabálytalanul parkoló jármű'', 1, 0, N''phone,web,map,field'', 1, N''Poliția Locală'',
 N''Un vehicul parcat pe trotuar, pe trecerea de pietoni, în fața unei porți sau pe un loc pentru persoane cu handicap.'', N''A vehicle parked on the pavement, on a crossing, in front of a gate or in a disabled space.'', N''Járdán, gyalogátkelőn, kapu előtt vagy mozgáskorlátozott-parkolóhelyen álló jármű.''),
-- Parking
(N''residential_parking'', N''Loc de parcare de reședință'', N''Residential parking space'', N''Lakossági parkolóhely'', 30, 12000, N''desk,web,email,post'', 0, N''Serviciul Parcări'',
 N''Închirierea unui loc de parcare în cartierul de domiciliu. Suma arătată este pentru un an.'', N''Renting a parking space in the neighbourhood where you live. The amount shown is for one year.'', N''Parkolóhely bérlése a lakóhely szerinti lakótelepen. A feltüntetett összeg egy évre szól.''),
(N''disabled_parking_card'', N''Card-legitimație de parcare pentru persoane cu handicap'', N''Parking card for people with disabilities'', N''Parkolási igazolvány fogyatékossággal élő személyek számára'', 10, 0, N''desk,email,post'', 0, N''Serviciul Parcări'',
 N''Card european de parcare, gratuit, pentru persoanele cu handicap sau reprezentanții lor.'', N''The free European parking card for people with disabilities or their representatives.'', N''Ingyenes európai parkolási igazolvány fogyatékossággal élő személyeknek vagy képviselőiknek.''),
-- Public information
(N''mayor_audience'', N''Înscriere în audiență la primar'', N''Appointment with the mayor'', N''Jelentkezés a polgármester fogadóórájára'', 15, 0, N''desk,phone,web,email,post'', 0, N''Cabinetul Primarului'',
 N''Programare la audiențele săptămânale ale primarului sau ale viceprimarilor.'', N''A slot at the weekly public hours of the mayor or the deputy mayors.'', N''Időpont a polgármester vagy az alpolgármesterek heti fogadóóráján.''),
(N''public_documents_copy'', N''Copii după documente de interes public'', N''Copies of public documents'', N''Közérdekű dokumentumok másolata'', 10, 0, N''desk,web,email,post'', 0, N''Biroul de Informare și Relații Publice'',
 N''Copii după hotărâri, dispoziții sau alte documente publicate; se plătește doar costul copierii.'', N''Copies of decisions, orders or other published documents; only the cost of copying is charged.'', N''Határozatok, rendelkezések vagy más közzétett dokumentumok másolata; csak a másolás költségét kell megfizetni.''),
(N''public_event_permit'', N''Aviz pentru manifestări publice'', N''Permit for a public event'', N''Közterületi rendezvény engedélyezése'', 15, 0, N''desk,web,email,post'', 0, N''Biroul de Informare și Relații Publice'',
 N''Acordul primăriei pentru mitinguri, spectacole și târguri pe domeniul public, cerut cu cel puțin 3 zile lucrătoare înainte.'', N''The city hall''''s consent for rallies, shows and fairs on public land, asked for at least 3 working days ahead.'', N''A polgármesteri hivatal hozzájárulása közterületi gyűlésekhez, előadásokhoz és vásárokhoz, legalább 3 munkanappal előtte kérve.'')');

-- The documents a citizen brings, named once and listed per service.
-- T-SQL has no VALUES as a query of its own in a WITH: a derived table carries the rows.
WITH doc (doc_key, ro, en, hu) AS (SELECT * FROM (VALUES
    (N'id', N'Act de identitate (copie)', N'Identity document (copy)', N'Személyazonosító igazolvány (másolat)'),
    (N'form', N'Cerere tip, completată și semnată', N'Standard application form, filled in and signed', N'Kitöltött és aláírt formanyomtatvány'),
    (N'fee', N'Dovada plății taxei', N'Proof that the fee was paid', N'Az illeték befizetését igazoló irat'),
    (N'title', N'Actul de proprietate și extras de carte funciară', N'Title deed and land register extract', N'Tulajdonjogot igazoló okirat és telekkönyvi kivonat'),
    (N'plans', N'Plan de situație și plan de încadrare în zonă', N'Site plan and location plan', N'Helyszínrajz és övezeti elhelyezési terv'),
    (N'project', N'Documentația tehnică (DTAC), în două exemplare', N'Technical documentation for the permit (DTAC), two copies', N'Engedélyezési műszaki dokumentáció (DTAC), két példányban'),
    (N'urbanism', N'Certificatul de urbanism și avizele cerute prin el', N'The town-planning certificate and the approvals it requires', N'A városrendezési bizonyítvány és az abban előírt engedélyek'),
    (N'permit', N'Autorizația de construire', N'The building permit', N'Az építési engedély'),
    (N'vehicle', N'Certificatul de înmatriculare al vehiculului', N'The vehicle registration certificate', N'A jármű forgalmi engedélye'),
    (N'contract', N'Contractul de vânzare-cumpărare', N'The sale contract', N'Az adásvételi szerződés'),
    (N'bank', N'Extras de cont cu plata făcută în plus', N'Bank statement showing the overpayment', N'A túlfizetést igazoló bankszámlakivonat'),
    (N'medical', N'Certificatul medical constatator al nașterii sau decesului', N'The medical certificate of birth or death', N'A születést vagy halálesetet igazoló orvosi bizonyítvány'),
    (N'birth', N'Certificatul de naștere (original și copie)', N'Birth certificate (original and copy)', N'Születési anyakönyvi kivonat (eredeti és másolat)'),
    (N'marriage_cert', N'Certificatul de căsătorie (original și copie)', N'Marriage certificate (original and copy)', N'Házassági anyakönyvi kivonat (eredeti és másolat)'),
    (N'prenuptial', N'Certificatele medicale prenupțiale', N'Pre-marital medical certificates', N'Házasságkötés előtti orvosi igazolások'),
    (N'reason', N'Actele care dovedesc motivul cererii', N'Documents proving the reason for the request', N'A kérelem indokát igazoló iratok'),
    (N'income', N'Acte doveditoare ale veniturilor familiei', N'Proof of the family''s income', N'A család jövedelmét igazoló iratok'),
    (N'household', N'Declarație privind componența familiei', N'Statement of who lives in the household', N'Nyilatkozat a háztartás összetételéről'),
    (N'disability', N'Certificatul de încadrare în grad de handicap', N'Disability classification certificate', N'Fogyatékossági besorolást igazoló tanúsítvány'),
    (N'address', N'Dovada domiciliului în localitate', N'Proof of residence in the town', N'A helyi lakóhelyet igazoló irat'),
    (N'event_plan', N'Descrierea manifestării: loc, dată, durată, număr estimat de participanți', N'Description of the event: place, date, duration, expected attendance', N'A rendezvény leírása: helyszín, időpont, időtartam, várható létszám')
) AS v (doc_key, ro, en, hu)), need (service_code, position, doc_key) AS (SELECT * FROM (VALUES
    (N'general', 1, N'form'), (N'general', 2, N'id'),
    (N'fiscal_certificate', 1, N'form'), (N'fiscal_certificate', 2, N'id'),
    (N'urbanism_certificate', 1, N'form'), (N'urbanism_certificate', 2, N'title'), (N'urbanism_certificate', 3, N'plans'), (N'urbanism_certificate', 4, N'fee'),
    (N'building_permit', 1, N'form'), (N'building_permit', 2, N'urbanism'), (N'building_permit', 3, N'title'), (N'building_permit', 4, N'project'), (N'building_permit', 5, N'fee'),
    (N'civil_status', 1, N'form'), (N'civil_status', 2, N'id'),
    (N'public_works', 1, N'form'),
    (N'parking_permit', 1, N'form'), (N'parking_permit', 2, N'id'), (N'parking_permit', 3, N'vehicle'),
    (N'building_tax_return', 1, N'form'), (N'building_tax_return', 2, N'id'), (N'building_tax_return', 3, N'title'),
    (N'vehicle_tax_registration', 1, N'form'), (N'vehicle_tax_registration', 2, N'id'), (N'vehicle_tax_registration', 3, N'contract'), (N'vehicle_tax_registration', 4, N'vehicle'),
    (N'vehicle_tax_deregistration', 1, N'form'), (N'vehicle_tax_deregistration', 2, N'id'), (N'vehicle_tax_deregistration', 3, N'contract'),
    (N'tax_refund', 1, N'form'), (N'tax_refund', 2, N'id'), (N'tax_refund', 3, N'bank'),
    (N'tax_instalments', 1, N'form'), (N'tax_instalments', 2, N'id'), (N'tax_instalments', 3, N'income'),
    (N'demolition_permit', 1, N'form'), (N'demolition_permit', 2, N'urbanism'), (N'demolition_permit', 3, N'title'), (N'demolition_permit', 4, N'fee'),
    (N'address_certificate', 1, N'form'), (N'address_certificate', 2, N'title'), (N'address_certificate', 3, N'fee'),
    (N'works_acceptance', 1, N'form'), (N'works_acceptance', 2, N'permit'),
    (N'urbanism_certificate_extension', 1, N'form'), (N'urbanism_certificate_extension', 2, N'urbanism'), (N'urbanism_certificate_extension', 3, N'fee'),
    (N'birth_registration', 1, N'medical'), (N'birth_registration', 2, N'id'), (N'birth_registration', 3, N'marriage_cert'),
    (N'death_registration', 1, N'medical'), (N'death_registration', 2, N'id'), (N'death_registration', 3, N'birth'),
    (N'marriage', 1, N'form'), (N'marriage', 2, N'id'), (N'marriage', 3, N'birth'), (N'marriage', 4, N'prenuptial'),
    (N'civil_certificate_duplicate', 1, N'form'), (N'civil_certificate_duplicate', 2, N'id'), (N'civil_certificate_duplicate', 3, N'fee'),
    (N'name_change', 1, N'form'), (N'name_change', 2, N'id'), (N'name_change', 3, N'birth'), (N'name_change', 4, N'reason'), (N'name_change', 5, N'fee'),
    (N'administrative_divorce', 1, N'form'), (N'administrative_divorce', 2, N'id'), (N'administrative_divorce', 3, N'marriage_cert'), (N'administrative_divorce', 4, N'fee'),
    (N'social_aid', 1, N'form'), (N'social_aid', 2, N'id'), (N'social_aid', 3, N'income'), (N'social_aid', 4, N'household'),
    (N'heating_aid', 1, N'form'), (N'heating_aid', 2, N'id'), (N'heating_aid', 3, N'income'), (N'heating_aid', 4, N'household'),
    (N'child_allowance', 1, N'form'), (N'child_allowance', 2, N'id'), (N'child_allowance', 3, N'birth'),
    (N'personal_assistant', 1, N'form'), (N'personal_assistant', 2, N'id'), (N'personal_assistant', 3, N'disability'),
    (N'emergency_aid', 1, N'form'), (N'emergency_aid', 2, N'id'), (N'emergency_aid', 3, N'reason'),
    (N'elderly_home_care', 1, N'form'), (N'elderly_home_care', 2, N'id'), (N'elderly_home_care', 3, N'income'),
    (N'residential_parking', 1, N'form'), (N'residential_parking', 2, N'id'), (N'residential_parking', 3, N'vehicle'), (N'residential_parking', 4, N'address'),
    (N'disabled_parking_card', 1, N'form'), (N'disabled_parking_card', 2, N'id'), (N'disabled_parking_card', 3, N'disability'),
    (N'mayor_audience', 1, N'form'),
    (N'public_documents_copy', 1, N'form'),
    (N'public_event_permit', 1, N'form'), (N'public_event_permit', 2, N'id'), (N'public_event_permit', 3, N'event_plan')
) AS v (service_code, position, doc_key))
INSERT INTO service_documents (service_code, position, name_ro, name_en, name_hu)
SELECT need.service_code, need.position, doc.ro, doc.en, doc.hu FROM need JOIN doc ON doc.doc_key = need.doc_key;

-- What the map asks whoever reports an incident.
INSERT INTO service_attributes (service_code, code, position, datatype, required, question_ro, question_en, question_hu) VALUES
(N'pothole', N'size', 1, N'singlevaluelist', 1, N'Cât de mare este groapa?', N'How big is the pothole?', N'Mekkora a kátyú?'),
(N'pothole', N'depth_cm', 2, N'number', 0, N'Cât de adâncă este, aproximativ, în centimetri?', N'About how deep is it, in centimetres?', N'Körülbelül milyen mély, centiméterben?'),
(N'street_light', N'problem', 1, N'singlevaluelist', 1, N'Ce se întâmplă cu lampa?', N'What is wrong with the light?', N'Mi a hiba a lámpával?'),
(N'street_light', N'pole_number', 2, N'string', 0, N'Numărul scris pe stâlp, dacă îl vedeți', N'The number on the pole, if you can see it', N'Az oszlopon látható szám, ha látja'),
(N'illegal_dumping', N'waste_type', 1, N'multivaluelist', 1, N'Ce fel de deșeuri sunt?', N'What kind of waste is it?', N'Milyen hulladékról van szó?'),
(N'illegal_dumping', N'amount', 2, N'singlevaluelist', 0, N'Cât de mult?', N'How much is there?', N'Mennyi van belőle?'),
(N'missed_collection', N'bin_type', 1, N'singlevaluelist', 1, N'Ce container nu a fost golit?', N'Which bin was not emptied?', N'Melyik konténert nem ürítették ki?'),
(N'missed_collection', N'scheduled_at', 2, N'datetime', 0, N'Când trebuia ridicat?', N'When should it have been collected?', N'Mikor kellett volna elszállítani?'),
(N'damaged_pavement', N'problem', 1, N'singlevaluelist', 1, N'Ce problemă are trotuarul?', N'What is wrong with the pavement?', N'Mi a probléma a járdával?'),
(N'traffic_sign', N'kind', 1, N'singlevaluelist', 1, N'Ce este defect?', N'What is faulty?', N'Mi hibás?'),
(N'fallen_tree', N'blocks_traffic', 1, N'singlevaluelist', 1, N'Blochează strada sau trotuarul?', N'Does it block the street or the pavement?', N'Elzárja az utat vagy a járdát?'),
(N'stray_dogs', N'count', 1, N'number', 0, N'Câți câini sunt?', N'How many dogs are there?', N'Hány kutya van?'),
(N'stray_dogs', N'aggressive', 2, N'singlevaluelist', 1, N'Sunt agresivi?', N'Are they aggressive?', N'Agresszívek?'),
(N'snow_ice', N'place', 1, N'singlevaluelist', 1, N'Unde?', N'Where?', N'Hol?'),
(N'manhole_cover', N'blocks_traffic', 1, N'singlevaluelist', 1, N'Este pe carosabil?', N'Is it in the roadway?', N'Az úttesten van?'),
(N'graffiti', N'surface', 1, N'string', 0, N'Pe ce este desenat (clădire, stâlp, bancă)?', N'What is it on (building, pole, bench)?', N'Mire festették (épület, oszlop, pad)?'),
(N'abandoned_vehicle', N'plate', 1, N'string', 0, N'Numărul de înmatriculare, dacă există', N'The number plate, if there is one', N'A rendszám, ha van'),
(N'abandoned_vehicle', N'since', 2, N'datetime', 0, N'De când se află acolo?', N'Since when has it been there?', N'Mióta áll ott?'),
(N'illegal_parking', N'where', 1, N'singlevaluelist', 1, N'Unde este parcat?', N'Where is it parked?', N'Hol parkol?'),
(N'illegal_parking', N'plate', 2, N'string', 0, N'Numărul de înmatriculare', N'The number plate', N'A rendszám');

INSERT INTO service_attribute_values (service_code, attribute_code, position, value_key, name_ro, name_en, name_hu) VALUES
(N'pothole', N'size', 1, N'small', N'Mică (sub 30 cm)', N'Small (under 30 cm)', N'Kicsi (30 cm alatt)'),
(N'pothole', N'size', 2, N'medium', N'Medie (30–100 cm)', N'Medium (30–100 cm)', N'Közepes (30–100 cm)'),
(N'pothole', N'size', 3, N'large', N'Mare (peste 1 m)', N'Large (over 1 m)', N'Nagy (1 m felett)'),
(N'street_light', N'problem', 1, N'off', N'Nu se aprinde', N'It does not come on', N'Nem gyullad fel'),
(N'street_light', N'problem', 2, N'flickering', N'Pâlpâie', N'It flickers', N'Villog'),
(N'street_light', N'problem', 3, N'on_by_day', N'Rămâne aprinsă ziua', N'It stays on by day', N'Nappal is ég'),
(N'street_light', N'problem', 4, N'damaged_pole', N'Stâlp deteriorat sau cabluri atârnând', N'Damaged pole or hanging cables', N'Sérült oszlop vagy lelógó vezetékek'),
(N'illegal_dumping', N'waste_type', 1, N'household', N'Menajere', N'Household waste', N'Háztartási hulladék'),
(N'illegal_dumping', N'waste_type', 2, N'construction', N'Moloz din construcții', N'Building rubble', N'Építési törmelék'),
(N'illegal_dumping', N'waste_type', 3, N'bulky', N'Mobilier sau electrocasnice', N'Furniture or appliances', N'Bútor vagy háztartási gép'),
(N'illegal_dumping', N'waste_type', 4, N'hazardous', N'Periculoase (chimicale, anvelope, azbest)', N'Hazardous (chemicals, tyres, asbestos)', N'Veszélyes (vegyszer, gumiabroncs, azbeszt)'),
(N'illegal_dumping', N'amount', 1, N'bags', N'Câțiva saci', N'A few bags', N'Néhány zsák'),
(N'illegal_dumping', N'amount', 2, N'car', N'Cât încape într-o mașină', N'A car boot full', N'Egy autónyi'),
(N'illegal_dumping', N'amount', 3, N'truck', N'Cât un camion sau mai mult', N'A lorry load or more', N'Egy teherautónyi vagy több'),
(N'missed_collection', N'bin_type', 1, N'household', N'Deșeuri menajere', N'Household waste', N'Háztartási hulladék'),
(N'missed_collection', N'bin_type', 2, N'recycling', N'Reciclabile (hârtie, plastic, metal)', N'Recycling (paper, plastic, metal)', N'Újrahasznosítható (papír, műanyag, fém)'),
(N'missed_collection', N'bin_type', 3, N'glass', N'Sticlă', N'Glass', N'Üveg'),
(N'damaged_pavement', N'problem', 1, N'broken_slabs', N'Dale sparte sau lipsă', N'Broken or missing slabs', N'Törött vagy hiányzó lapok'),
(N'damaged_pavement', N'problem', 2, N'kerb', N'Bordură lipsă sau deteriorată', N'Missing or damaged kerb', N'Hiányzó vagy sérült szegély'),
(N'damaged_pavement', N'problem', 3, N'blocked', N'Trotuar blocat', N'Pavement blocked', N'Elzárt járda'),
(N'traffic_sign', N'kind', 1, N'sign', N'Indicator', N'Road sign', N'Közlekedési tábla'),
(N'traffic_sign', N'kind', 2, N'traffic_light', N'Semafor', N'Traffic light', N'Jelzőlámpa'),
(N'traffic_sign', N'kind', 3, N'markings', N'Marcaje rutiere', N'Road markings', N'Útburkolati jelek'),
(N'fallen_tree', N'blocks_traffic', 1, N'yes', N'Da', N'Yes', N'Igen'),
(N'fallen_tree', N'blocks_traffic', 2, N'no', N'Nu', N'No', N'Nem'),
(N'stray_dogs', N'aggressive', 1, N'yes', N'Da', N'Yes', N'Igen'),
(N'stray_dogs', N'aggressive', 2, N'no', N'Nu', N'No', N'Nem'),
(N'snow_ice', N'place', 1, N'street', N'Stradă', N'Street', N'Utca'),
(N'snow_ice', N'place', 2, N'pavement', N'Trotuar', N'Pavement', N'Járda'),
(N'snow_ice', N'place', 3, N'bus_stop', N'Stație de autobuz', N'Bus stop', N'Buszmegálló'),
(N'manhole_cover', N'blocks_traffic', 1, N'yes', N'Da, pe carosabil', N'Yes, in the roadway', N'Igen, az úttesten'),
(N'manhole_cover', N'blocks_traffic', 2, N'no', N'Nu, pe trotuar', N'No, on the pavement', N'Nem, a járdán'),
(N'illegal_parking', N'where', 1, N'pavement', N'Pe trotuar', N'On the pavement', N'A járdán'),
(N'illegal_parking', N'where', 2, N'crossing', N'Pe trecerea de pietoni', N'On a pedestrian crossing', N'A gyalogátkelőn'),
(N'illegal_parking', N'where', 3, N'gate', N'În fața unei porți sau a unui garaj', N'In front of a gate or garage', N'Kapu vagy garázs előtt'),
(N'illegal_parking', N'where', 4, N'disabled_space', N'Pe un loc pentru persoane cu handicap', N'In a disabled parking space', N'Mozgáskorlátozott-parkolóhelyen');

