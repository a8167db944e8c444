-- The service catalogue, the citizen's guide (issue 10). It replaces the registry's service categories by
-- extending their table in place: the codes stay, so cases.category_code keeps pointing at them and nothing
-- has to be copied (SQLite cannot change a column or drop a foreign key without rebuilding the table).
-- service_categories.name is the Romanian name; the English and Hungarian ones sit beside it.
ALTER TABLE service_categories ADD COLUMN name_en VARCHAR(200) NOT NULL DEFAULT '';
ALTER TABLE service_categories ADD COLUMN name_hu VARCHAR(200) NOT NULL DEFAULT '';
ALTER TABLE service_categories ADD COLUMN description_ro VARCHAR(2000) NOT NULL DEFAULT '';
ALTER TABLE service_categories ADD COLUMN description_en VARCHAR(2000) NOT NULL DEFAULT '';
ALTER TABLE service_categories ADD COLUMN description_hu VARCHAR(2000) NOT NULL DEFAULT '';
ALTER TABLE service_categories ADD COLUMN department VARCHAR(200) NOT NULL DEFAULT 'Registratură și relații cu publicul';
-- The fee in bani (1 leu = 100 bani), exact like every amount in the schema; 0 = free or no fixed fee (the description says).
ALTER TABLE service_categories ADD COLUMN fee_bani BIGINT NOT NULL DEFAULT 0;
-- Comma-separated, from: desk, phone, web, email, map, field, post. A call to the phone robot (ivr) counts as phone.
ALTER TABLE service_categories ADD COLUMN channels VARCHAR(100) NOT NULL DEFAULT 'desk,phone,web,email,post';
-- An incident category: shown on the public map, with questions for the reporter (Open311 service attributes).
ALTER TABLE service_categories ADD COLUMN incident INTEGER NOT NULL DEFAULT 0;
ALTER TABLE service_categories ADD COLUMN updated_at BIGINT NULL;
ALTER TABLE service_categories ADD COLUMN updated_by VARCHAR(64) NULL;

CREATE TABLE service_documents (
    service_code VARCHAR(40)  NOT NULL REFERENCES service_categories (code),
    position     INTEGER      NOT NULL,
    name_ro      VARCHAR(300) NOT NULL,
    name_en      VARCHAR(300) NOT NULL,
    name_hu      VARCHAR(300) NOT NULL,
    PRIMARY KEY (service_code, position)
);

-- What to ask whoever reports an incident, modelled on Open311 GeoReport v2 service definitions
-- (https://wiki.open311.org/GeoReport_v2/#get-service-definition): code, datatype, required, order,
-- description (the question) and, for lists, values with key and name.
CREATE TABLE service_attributes (
    service_code VARCHAR(40)  NOT NULL REFERENCES service_categories (code),
    code         VARCHAR(40)  NOT NULL,
    position     INTEGER      NOT NULL,
    datatype     VARCHAR(20)  NOT NULL CHECK (datatype IN ('string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist')),
    required     INTEGER      NOT NULL DEFAULT 0,
    question_ro  VARCHAR(300) NOT NULL,
    question_en  VARCHAR(300) NOT NULL,
    question_hu  VARCHAR(300) NOT NULL,
    PRIMARY KEY (service_code, code)
);

CREATE TABLE service_attribute_values (
    service_code   VARCHAR(40)  NOT NULL,
    attribute_code VARCHAR(40)  NOT NULL,
    position       INTEGER      NOT NULL,
    value_key      VARCHAR(40)  NOT NULL,
    name_ro        VARCHAR(200) NOT NULL,
    name_en        VARCHAR(200) NOT NULL,
    name_hu        VARCHAR(200) NOT NULL,
    PRIMARY KEY (service_code, attribute_code, value_key),
    FOREIGN KEY (service_code, attribute_code) REFERENCES service_attributes (service_code, code)
);

-- Every change an admin makes, with who made it and the service as it was before and after (JSON).
CREATE TABLE service_catalogue_changes (
    seq          INTEGER      NOT NULL PRIMARY KEY AUTOINCREMENT,
    service_code VARCHAR(40)  NOT NULL REFERENCES service_categories (code),
    changed_at   BIGINT       NOT NULL,
    actor        VARCHAR(64)  NOT NULL,
    change       VARCHAR(10)  NOT NULL CHECK (change IN ('added', 'changed')),
    summary      VARCHAR(500) NOT NULL,
    before_json  TEXT         NULL,
    after_json   TEXT         NOT NULL
);
CREATE INDEX ix_service_catalogue_changes_service ON service_catalogue_changes (service_code, seq);

-- The seven categories of issue 4 keep their codes and gain their catalogue entries.
-- Terms: Law 50/1991 gives 15 days for a certificat de urbanism and 30 for a building permit.
UPDATE service_categories SET name = 'Cerere generală', name_en = 'General request', name_hu = 'Általános kérelem',
    description_ro = 'Orice cerere adresată primăriei care nu se încadrează în alt serviciu din ghid.',
    description_en = 'Any request to the city hall that fits no other service in this guide.',
    description_hu = 'Bármely, a polgármesteri hivatalhoz intézett kérelem, amely nem tartozik az útmutató más szolgáltatásához.',
    department = 'Registratură și relații cu publicul', channels = 'desk,phone,web,email,map,field,post'
    WHERE code = 'general';
UPDATE service_categories SET name = 'Certificat de atestare fiscală', name_en = 'Tax clearance certificate', name_hu = 'Adóigazolás (adóügyi bizonyítvány)',
    description_ro = 'Atestă că nu aveți datorii la bugetul local; necesar la vânzarea unui imobil sau a unui autovehicul.',
    description_en = 'Shows that you owe nothing to the local budget; needed when selling a property or a vehicle.',
    description_hu = 'Igazolja, hogy nincs tartozása a helyi költségvetés felé; ingatlan vagy gépjármű eladásakor szükséges.',
    department = 'Direcția de Impozite și Taxe Locale', channels = 'desk,phone,web,email,post'
    WHERE code = 'fiscal_certificate';
UPDATE service_categories SET name = 'Certificat de urbanism', name_en = 'Town-planning certificate', name_hu = 'Városrendezési bizonyítvány',
    processing_days = 15, fee_bani = 1500,
    description_ro = 'Informează asupra regimului juridic, economic și tehnic al unui teren și asupra avizelor necesare pentru construire. Taxa depinde de suprafață; suma arătată este pentru cel mult 150 mp.',
    description_en = 'States the legal, economic and technical status of a plot and the approvals needed to build. The fee depends on the area; the amount shown is for up to 150 m².',
    description_hu = 'Tájékoztat egy telek jogi, gazdasági és műszaki helyzetéről, valamint az építéshez szükséges engedélyekről. Az illeték a területtől függ; a feltüntetett összeg legfeljebb 150 m²-re vonatkozik.',
    department = 'Direcția Urbanism și Amenajarea Teritoriului', channels = 'desk,web,email,post'
    WHERE code = 'urbanism_certificate';
UPDATE service_categories SET name = 'Autorizație de construire', name_en = 'Building permit', name_hu = 'Építési engedély',
    description_ro = 'Actul care permite executarea lucrărilor de construire. Taxa este 0,5% din valoarea autorizată a lucrărilor, calculată la depunere.',
    description_en = 'The permit to carry out building works. The fee is 0.5% of the authorised value of the works, worked out when you apply.',
    description_hu = 'Az építési munkálatok elvégzését lehetővé tevő engedély. Az illeték a munkálatok engedélyezett értékének 0,5%-a, a benyújtáskor számítják ki.',
    department = 'Direcția Urbanism și Amenajarea Teritoriului', channels = 'desk,web,email,post'
    WHERE code = 'building_permit';
UPDATE service_categories SET name = 'Acte de stare civilă', name_en = 'Civil status records', name_hu = 'Anyakönyvi ügyek',
    description_ro = 'Cereri privind actele de stare civilă: transcrieri, rectificări, mențiuni, extrase multilingve.',
    description_en = 'Requests about civil status records: transcriptions, corrections, annotations, multilingual extracts.',
    description_hu = 'Anyakönyvi okiratokkal kapcsolatos kérelmek: átírások, helyesbítések, bejegyzések, többnyelvű kivonatok.',
    department = 'Serviciul Public Comunitar Local de Evidență a Persoanelor – Stare Civilă', channels = 'desk,phone,web,email,post'
    WHERE code = 'civil_status';
UPDATE service_categories SET name = 'Sesizare drumuri, iluminat, salubritate', name_en = 'Report about roads, street lighting or cleaning', name_hu = 'Bejelentés utakról, közvilágításról, köztisztaságról',
    description_ro = 'O problemă în oraș care nu are o categorie proprie pe hartă.',
    description_en = 'A problem in town that has no category of its own on the map.',
    description_hu = 'Városi probléma, amelynek nincs saját kategóriája a térképen.',
    department = 'Direcția Tehnică – Drumuri și Lucrări Publice', channels = 'desk,phone,web,email,map,field,post'
    WHERE code = 'public_works';
UPDATE service_categories SET name = 'Abonament / autorizație de parcare', name_en = 'Parking subscription or permit', name_hu = 'Parkolási bérlet vagy engedély',
    fee_bani = 30000,
    description_ro = 'Abonament anual pentru parcările publice cu plată. Suma arătată este pentru un an.',
    description_en = 'A yearly subscription for the paid public car parks. The amount shown is for one year.',
    description_hu = 'Éves bérlet a fizetős közparkolókhoz. A feltüntetett összeg egy évre szól.',
    department = 'Serviciul Parcări', channels = 'desk,phone,web,email,post'
    WHERE code = 'parking_permit';

-- The rest of a municipality's guide. Fees are the usual amounts of a local council's yearly decision on local taxes;
-- each city hall corrects them (PUT /api/catalogue/services/{code}).
INSERT INTO service_categories (code, name, name_en, name_hu, processing_days, fee_bani, channels, incident, department,
                                description_ro, description_en, description_hu) VALUES
-- Local taxes
('building_tax_return', 'Declarație fiscală pentru clădiri și terenuri', 'Tax return for buildings and land', 'Épület- és telekadó-bevallás', 30, 0, 'desk,web,email,post', 0, 'Direcția de Impozite și Taxe Locale',
 'Declararea unei clădiri sau a unui teren dobândit, construit sau modificat, în 30 de zile de la dobândire.', 'Declaring a building or plot you acquired, built or altered, within 30 days of acquiring it.', 'A megszerzett, megépített vagy átalakított épület vagy telek bevallása a megszerzéstől számított 30 napon belül.'),
('vehicle_tax_registration', 'Înregistrarea unui mijloc de transport în evidența fiscală', 'Registering a vehicle for local tax', 'Gépjármű bejegyzése a helyi adónyilvántartásba', 5, 0, 'desk,web,email,post', 0, 'Direcția de Impozite și Taxe Locale',
 'Declararea unui autovehicul cumpărat, în 30 de zile de la dobândire.', 'Declaring a vehicle you bought, within 30 days of buying it.', 'A vásárolt gépjármű bevallása a megszerzéstől számított 30 napon belül.'),
('vehicle_tax_deregistration', 'Scoaterea din evidența fiscală a unui mijloc de transport', 'Removing a vehicle from the local tax register', 'Gépjármű törlése a helyi adónyilvántartásból', 5, 0, 'desk,web,email,post', 0, 'Direcția de Impozite și Taxe Locale',
 'După vânzarea, radierea sau furtul vehiculului.', 'After the vehicle was sold, deregistered or stolen.', 'A jármű eladása, forgalomból való kivonása vagy ellopása után.'),
('tax_refund', 'Restituirea sumelor plătite în plus', 'Refund of overpaid local taxes', 'Túlfizetett helyi adók visszatérítése', 45, 0, 'desk,web,email,post', 0, 'Direcția de Impozite și Taxe Locale',
 'Sumele plătite în plus sau fără temei se restituie la cerere.', 'Amounts paid twice or without cause are refunded on request.', 'A többletként vagy jogalap nélkül befizetett összegeket kérésre visszatérítik.'),
('tax_instalments', 'Eșalonarea la plată a obligațiilor fiscale', 'Paying local taxes in instalments', 'Helyi adótartozás részletekben történő megfizetése', 30, 0, 'desk,email,post', 0, 'Direcția de Impozite și Taxe Locale',
 'Plata datoriilor către bugetul local în rate lunare, cu aprobare.', 'Paying what you owe to the local budget in monthly instalments, once approved.', 'A helyi költségvetés felé fennálló tartozás havi részletekben történő megfizetése, jóváhagyás után.'),
-- Urbanism
('demolition_permit', 'Autorizație de desființare', 'Demolition permit', 'Bontási engedély', 30, 0, 'desk,web,email,post', 0, 'Direcția Urbanism și Amenajarea Teritoriului',
 'Actul care permite demolarea unei construcții. Taxa este 0,1% din valoarea impozabilă a construcției.', 'The permit to demolish a building. The fee is 0.1% of the building''s taxable value.', 'Egy építmény lebontását lehetővé tevő engedély. Az illeték az építmény adóköteles értékének 0,1%-a.'),
('address_certificate', 'Certificat de nomenclatură stradală și adresă', 'Street name and address certificate', 'Utcanév- és címigazolás', 10, 1000, 'desk,web,email,post', 0, 'Direcția Urbanism și Amenajarea Teritoriului',
 'Atestă adresa poștală a unui imobil, necesară la notar, la cartea funciară sau la racordarea la utilități.', 'Confirms a property''s postal address, needed by notaries, the land register and utility companies.', 'Igazolja egy ingatlan postai címét; közjegyzőnél, telekkönyvnél és közműbekötéskor szükséges.'),
('works_acceptance', 'Recepția la terminarea lucrărilor', 'Acceptance of completed building works', 'Műszaki átadás-átvétel a munkálatok befejezésekor', 15, 0, 'desk,email,post', 0, 'Direcția Urbanism și Amenajarea Teritoriului',
 'Comisia primăriei constată că lucrările au fost executate conform autorizației.', 'The city hall''s committee checks that the works were carried out as permitted.', 'A hivatal bizottsága megállapítja, hogy a munkálatokat az engedély szerint végezték el.'),
('urbanism_certificate_extension', 'Prelungirea certificatului de urbanism', 'Extending a town-planning certificate', 'Városrendezési bizonyítvány meghosszabbítása', 15, 450, 'desk,web,email,post', 0, 'Direcția Urbanism și Amenajarea Teritoriului',
 'Se cere cu cel puțin 15 zile înainte de expirare; taxa este 30% din taxa inițială.', 'Apply at least 15 days before it expires; the fee is 30% of the original fee.', 'A lejárat előtt legalább 15 nappal kell kérni; az illeték az eredeti illeték 30%-a.'),
-- Civil status
('birth_registration', 'Înregistrarea nașterii', 'Registering a birth', 'Születés anyakönyvezése', 1, 0, 'desk', 0, 'Serviciul Public Comunitar Local de Evidență a Persoanelor – Stare Civilă',
 'Declararea nașterii se face de către părinți în 30 de zile de la naștere.', 'The parents declare the birth within 30 days of it.', 'A születést a szülők a születéstől számított 30 napon belül jelentik be.'),
('death_registration', 'Înregistrarea decesului', 'Registering a death', 'Haláleset anyakönyvezése', 1, 0, 'desk', 0, 'Serviciul Public Comunitar Local de Evidență a Persoanelor – Stare Civilă',
 'Decesul se declară în 3 zile de la data constatării; se eliberează certificatul de deces.', 'A death is declared within 3 days of being certified; the death certificate is issued.', 'A halálesetet a megállapítástól számított 3 napon belül kell bejelenteni; kiállítják a halotti anyakönyvi kivonatot.'),
('marriage', 'Încheierea căsătoriei', 'Civil marriage', 'Házasságkötés', 10, 0, 'desk', 0, 'Serviciul Public Comunitar Local de Evidență a Persoanelor – Stare Civilă',
 'Declarația de căsătorie se depune personal de viitorii soți cu cel puțin 10 zile înainte de oficiere.', 'Both future spouses make the marriage declaration in person at least 10 days before the ceremony.', 'A házassági szándékot a jegyesek személyesen jelentik be, legalább 10 nappal a házasságkötés előtt.'),
('civil_certificate_duplicate', 'Eliberarea unui certificat de stare civilă (duplicat)', 'Duplicate civil status certificate', 'Anyakönyvi kivonat másodlatának kiállítása', 5, 200, 'desk,email,post', 0, 'Serviciul Public Comunitar Local de Evidență a Persoanelor – Stare Civilă',
 'Certificat de naștere, de căsătorie sau de deces eliberat din nou, în locul celui pierdut sau deteriorat.', 'A birth, marriage or death certificate issued again in place of one lost or damaged.', 'Elveszett vagy megrongálódott születési, házassági vagy halotti anyakönyvi kivonat újbóli kiállítása.'),
('name_change', 'Schimbarea numelui pe cale administrativă', 'Change of name by administrative procedure', 'Névváltoztatás közigazgatási úton', 30, 1500, 'desk,post', 0, 'Serviciul Public Comunitar Local de Evidență a Persoanelor – Stare Civilă',
 'Schimbarea numelui de familie sau a prenumelui pentru motive temeinice.', 'Changing a surname or first name for good reason.', 'Család- vagy utónév megváltoztatása megalapozott okból.'),
('administrative_divorce', 'Divorțul pe cale administrativă', 'Divorce by administrative procedure', 'Közigazgatási úton történő válás', 30, 50000, 'desk', 0, 'Serviciul Public Comunitar Local de Evidență a Persoanelor – Stare Civilă',
 'Pentru soții de acord, fără copii minori; după 30 de zile de reflecție, soții se prezintă personal.', 'For spouses who agree and have no minor children; after 30 days to reflect, both come in person.', 'Egyetértő, kiskorú gyermek nélküli házastársak számára; 30 napos gondolkodási idő után mindketten személyesen jelennek meg.'),
-- Social assistance
('social_aid', 'Ajutor social (venitul minim de incluziune)', 'Social aid (minimum inclusion income)', 'Szociális segély (minimális befogadó jövedelem)', 30, 0, 'desk,email,field,post', 0, 'Direcția de Asistență Socială',
 'Sprijin lunar pentru familiile și persoanele singure cu venituri mici.', 'Monthly support for families and single people on a low income.', 'Havi támogatás alacsony jövedelmű családok és egyedülálló személyek számára.'),
('heating_aid', 'Ajutor pentru încălzirea locuinței', 'Home heating aid', 'Lakásfűtési támogatás', 30, 0, 'desk,email,field,post', 0, 'Direcția de Asistență Socială',
 'Ajutor pentru sezonul rece (noiembrie–martie), după venitul familiei.', 'Help for the cold season (November–March), according to the family''s income.', 'Támogatás a hideg évszakra (novembertől márciusig), a család jövedelme szerint.'),
('child_allowance', 'Alocația de stat pentru copii', 'State child allowance', 'Állami gyermekpótlék', 30, 0, 'desk,email,post', 0, 'Direcția de Asistență Socială',
 'Cererea pentru alocația lunară a copilului, plătită până la 18 ani.', 'Applying for the monthly child allowance, paid until the age of 18.', 'A 18 éves korig folyósított havi gyermekpótlék igénylése.'),
('personal_assistant', 'Asistent personal pentru persoana cu handicap grav', 'Personal assistant for a person with a severe disability', 'Személyi asszisztens súlyos fogyatékossággal élő személy számára', 30, 0, 'desk,email,field,post', 0, 'Direcția de Asistență Socială',
 'Angajarea unui asistent personal sau plata indemnizației lunare, la alegere.', 'Employing a personal assistant or receiving the monthly allowance instead, as you choose.', 'Személyi asszisztens alkalmazása vagy helyette havi juttatás, választás szerint.'),
('emergency_aid', 'Ajutor de urgență', 'Emergency aid', 'Sürgősségi segély', 10, 0, 'desk,phone,email,field,post', 0, 'Direcția de Asistență Socială',
 'Pentru situații de necesitate: incendiu, inundație, calamitate, boală gravă.', 'For emergencies: fire, flood, natural disaster, serious illness.', 'Szükséghelyzetekre: tűz, árvíz, természeti csapás, súlyos betegség.'),
('elderly_home_care', 'Îngrijire la domiciliu pentru persoane vârstnice', 'Home care for the elderly', 'Idősek otthoni gondozása', 30, 0, 'desk,phone,email,field,post', 0, 'Direcția de Asistență Socială',
 'Evaluarea nevoilor și îngrijire la domiciliu pentru vârstnicii singuri sau dependenți.', 'An assessment of needs and care at home for older people who live alone or depend on others.', 'Szükségletfelmérés és otthoni gondozás egyedül élő vagy másokra utalt idősek számára.'),
-- Incidents (shown on the map)
('pothole', 'Groapă în carosabil', 'Pothole in the road', 'Kátyú az úttesten', 10, 0, 'desk,phone,web,email,map,field', 1, 'Direcția Tehnică – Drumuri și Lucrări Publice',
 'Semnalați o groapă în asfalt pe o stradă a orașului.', 'Report a pothole in a city street.', 'Jelezze az úttest kátyúját a város valamely utcájában.'),
('street_light', 'Iluminat public defect', 'Street light not working', 'Közvilágítási hiba', 5, 0, 'desk,phone,web,email,map,field', 1, 'Serviciul Iluminat Public',
 'Un stâlp de iluminat stins, care pâlpâie sau rămâne aprins ziua.', 'A street light that is out, flickers or stays on by day.', 'Nem világító, villogó vagy nappal is égő közvilágítási lámpa.'),
('illegal_dumping', 'Gunoi depozitat ilegal', 'Illegally dumped rubbish', 'Illegális hulladéklerakás', 5, 0, 'desk,phone,web,email,map,field', 1, 'Serviciul Salubrizare',
 'Deșeuri aruncate pe domeniul public, în afara punctelor de colectare.', 'Waste left on public land, away from the collection points.', 'Közterületen, a gyűjtőpontokon kívül elhagyott hulladék.'),
('missed_collection', 'Gunoi neridicat', 'Missed bin collection', 'Elmaradt hulladékszállítás', 2, 0, 'desk,phone,web,email,map', 1, 'Serviciul Salubrizare',
 'Containerele nu au fost golite în ziua programată.', 'The bins were not emptied on the scheduled day.', 'A konténereket nem ürítették ki a tervezett napon.'),
('damaged_pavement', 'Trotuar deteriorat', 'Damaged pavement', 'Sérült járda', 30, 0, 'desk,phone,web,email,map,field', 1, 'Direcția Tehnică – Drumuri și Lucrări Publice',
 'Dale sparte, borduri lipsă sau trotuar blocat.', 'Broken slabs, missing kerbs or a blocked pavement.', 'Törött lapok, hiányzó szegély vagy elzárt járda.'),
('traffic_sign', 'Indicator rutier sau semafor defect', 'Damaged traffic sign or faulty traffic light', 'Sérült közlekedési tábla vagy hibás jelzőlámpa', 3, 0, 'desk,phone,web,email,map,field', 1, 'Direcția Tehnică – Drumuri și Lucrări Publice',
 'Indicator căzut, lipsă sau acoperit, semafor nefuncțional, marcaje șterse.', 'A sign fallen, missing or hidden, a traffic light not working, worn road markings.', 'Kidőlt, hiányzó vagy eltakart tábla, nem működő jelzőlámpa, kopott útburkolati jel.'),
('fallen_tree', 'Copac căzut sau periculos', 'Fallen or dangerous tree', 'Kidőlt vagy veszélyes fa', 3, 0, 'desk,phone,web,email,map,field', 1, 'Serviciul Spații Verzi',
 'Un copac sau o creangă căzută ori pe cale să cadă.', 'A tree or a branch that has fallen or is about to fall.', 'Kidőlt vagy kidőléssel fenyegető fa vagy faág.'),
('stray_dogs', 'Câini fără stăpân', 'Stray dogs', 'Kóbor kutyák', 5, 0, 'desk,phone,web,email,map,field', 1, 'Serviciul pentru Gestionarea Câinilor fără Stăpân',
 'Câini fără stăpân într-un loc public.', 'Dogs without an owner in a public place.', 'Gazdátlan kutyák közterületen.'),
('snow_ice', 'Zăpadă sau gheață neîndepărtată', 'Snow or ice not cleared', 'Eltakarítatlan hó vagy jég', 1, 0, 'desk,phone,web,email,map,field', 1, 'Direcția Tehnică – Drumuri și Lucrări Publice',
 'Stradă, trotuar sau stație de autobuz necurățate de zăpadă ori gheață.', 'A street, pavement or bus stop not cleared of snow or ice.', 'Hótól vagy jégtől meg nem tisztított utca, járda vagy buszmegálló.'),
('manhole_cover', 'Capac de canal lipsă sau deteriorat', 'Missing or broken manhole cover', 'Hiányzó vagy sérült aknafedél', 1, 0, 'desk,phone,web,email,map,field', 1, 'Direcția Tehnică – Drumuri și Lucrări Publice',
 'Un capac de canal lipsă, spart sau denivelat pe stradă ori trotuar.', 'A manhole cover missing, broken or uneven in a street or pavement.', 'Hiányzó, törött vagy egyenetlen aknafedél az úttesten vagy a járdán.'),
('graffiti', 'Graffiti pe domeniul public', 'Graffiti on public property', 'Falfirka közterületen', 30, 0, 'desk,phone,web,email,map,field', 1, 'Direcția Tehnică – Drumuri și Lucrări Publice',
 'Inscripții sau desene pe clădiri publice, mobilier urban ori monumente.', 'Writing or drawings on public buildings, street furniture or monuments.', 'Feliratok vagy rajzok középületeken, utcabútorokon vagy emlékműveken.'),
('abandoned_vehicle', 'Vehicul abandonat', 'Abandoned vehicle', 'Elhagyott jármű', 30, 0, 'desk,phone,web,email,map,field', 1, 'Poliția Locală',
 'Un vehicul lăsat pe domeniul public, vizibil neîngrijit, de mult timp.', 'A vehicle left on public land, visibly neglected, for a long time.', 'Hosszú ideje közterületen hagyott, láthatóan elhanyagolt jármű.'),
('illegal_parking', 'Vehicul parcat neregulamentar', 'Illegally parked vehicle', 'Szabálytalanul parkoló jármű', 1, 0, 'phone,web,map,field', 1, 'Poliția Locală',
 'Un vehicul parcat pe trotuar, pe trecerea de pietoni, în fața unei porți sau pe un loc pentru persoane cu handicap.', 'A vehicle parked on the pavement, on a crossing, in front of a gate or in a disabled space.', 'Járdán, gyalogátkelőn, kapu előtt vagy mozgáskorlátozott-parkolóhelyen álló jármű.'),
-- Parking
('residential_parking', 'Loc de parcare de reședință', 'Residential parking space', 'Lakossági parkolóhely', 30, 12000, 'desk,web,email,post', 0, 'Serviciul Parcări',
 'Închirierea unui loc de parcare în cartierul de domiciliu. Suma arătată este pentru un an.', 'Renting a parking space in the neighbourhood where you live. The amount shown is for one year.', 'Parkolóhely bérlése a lakóhely szerinti lakótelepen. A feltüntetett összeg egy évre szól.'),
('disabled_parking_card', 'Card-legitimație de parcare pentru persoane cu handicap', 'Parking card for people with disabilities', 'Parkolási igazolvány fogyatékossággal élő személyek számára', 10, 0, 'desk,email,post', 0, 'Serviciul Parcări',
 'Card european de parcare, gratuit, pentru persoanele cu handicap sau reprezentanții lor.', 'The free European parking card for people with disabilities or their representatives.', 'Ingyenes európai parkolási igazolvány fogyatékossággal élő személyeknek vagy képviselőiknek.'),
-- Public information
('mayor_audience', 'Înscriere în audiență la primar', 'Appointment with the mayor', 'Jelentkezés a polgármester fogadóórájára', 15, 0, 'desk,phone,web,email,post', 0, 'Cabinetul Primarului',
 'Programare la audiențele săptămânale ale primarului sau ale viceprimarilor.', 'A slot at the weekly public hours of the mayor or the deputy mayors.', 'Időpont a polgármester vagy az alpolgármesterek heti fogadóóráján.'),
('public_documents_copy', 'Copii după documente de interes public', 'Copies of public documents', 'Közérdekű dokumentumok másolata', 10, 0, 'desk,web,email,post', 0, 'Biroul de Informare și Relații Publice',
 'Copii după hotărâri, dispoziții sau alte documente publicate; se plătește doar costul copierii.', 'Copies of decisions, orders or other published documents; only the cost of copying is charged.', 'Határozatok, rendelkezések vagy más közzétett dokumentumok másolata; csak a másolás költségét kell megfizetni.'),
('public_event_permit', 'Aviz pentru manifestări publice', 'Permit for a public event', 'Közterületi rendezvény engedélyezése', 15, 0, 'desk,web,email,post', 0, 'Biroul de Informare și Relații Publice',
 'Acordul primăriei pentru mitinguri, spectacole și târguri pe domeniul public, cerut cu cel puțin 3 zile lucrătoare înainte.', 'The city hall''s consent for rallies, shows and fairs on public land, asked for at least 3 working days ahead.', 'A polgármesteri hivatal hozzájárulása közterületi gyűlésekhez, előadásokhoz és vásárokhoz, legalább 3 munkanappal előtte kérve.');

-- The documents a citizen brings, named once and listed per service.
WITH doc (doc_key, ro, en, hu) AS (VALUES
    ('id', 'Act de identitate (copie)', 'Identity document (copy)', 'Személyazonosító igazolvány (másolat)'),
    ('form', 'Cerere tip, completată și semnată', 'Standard application form, filled in and signed', 'Kitöltött és aláírt formanyomtatvány'),
    ('fee', 'Dovada plății taxei', 'Proof that the fee was paid', 'Az illeték befizetését igazoló irat'),
    ('title', 'Actul de proprietate și extras de carte funciară', 'Title deed and land register extract', 'Tulajdonjogot igazoló okirat és telekkönyvi kivonat'),
    ('plans', 'Plan de situație și plan de încadrare în zonă', 'Site plan and location plan', 'Helyszínrajz és övezeti elhelyezési terv'),
    ('project', 'Documentația tehnică (DTAC), în două exemplare', 'Technical documentation for the permit (DTAC), two copies', 'Engedélyezési műszaki dokumentáció (DTAC), két példányban'),
    ('urbanism', 'Certificatul de urbanism și avizele cerute prin el', 'The town-planning certificate and the approvals it requires', 'A városrendezési bizonyítvány és az abban előírt engedélyek'),
    ('permit', 'Autorizația de construire', 'The building permit', 'Az építési engedély'),
    ('vehicle', 'Certificatul de înmatriculare al vehiculului', 'The vehicle registration certificate', 'A jármű forgalmi engedélye'),
    ('contract', 'Contractul de vânzare-cumpărare', 'The sale contract', 'Az adásvételi szerződés'),
    ('bank', 'Extras de cont cu plata făcută în plus', 'Bank statement showing the overpayment', 'A túlfizetést igazoló bankszámlakivonat'),
    ('medical', 'Certificatul medical constatator al nașterii sau decesului', 'The medical certificate of birth or death', 'A születést vagy halálesetet igazoló orvosi bizonyítvány'),
    ('birth', 'Certificatul de naștere (original și copie)', 'Birth certificate (original and copy)', 'Születési anyakönyvi kivonat (eredeti és másolat)'),
    ('marriage_cert', 'Certificatul de căsătorie (original și copie)', 'Marriage certificate (original and copy)', 'Házassági anyakönyvi kivonat (eredeti és másolat)'),
    ('prenuptial', 'Certificatele medicale prenupțiale', 'Pre-marital medical certificates', 'Házasságkötés előtti orvosi igazolások'),
    ('reason', 'Actele care dovedesc motivul cererii', 'Documents proving the reason for the request', 'A kérelem indokát igazoló iratok'),
    ('income', 'Acte doveditoare ale veniturilor familiei', 'Proof of the family''s income', 'A család jövedelmét igazoló iratok'),
    ('household', 'Declarație privind componența familiei', 'Statement of who lives in the household', 'Nyilatkozat a háztartás összetételéről'),
    ('disability', 'Certificatul de încadrare în grad de handicap', 'Disability classification certificate', 'Fogyatékossági besorolást igazoló tanúsítvány'),
    ('address', 'Dovada domiciliului în localitate', 'Proof of residence in the town', 'A helyi lakóhelyet igazoló irat'),
    ('event_plan', 'Descrierea manifestării: loc, dată, durată, număr estimat de participanți', 'Description of the event: place, date, duration, expected attendance', 'A rendezvény leírása: helyszín, időpont, időtartam, várható létszám')
), need (service_code, position, doc_key) AS (VALUES
    ('general', 1, 'form'), ('general', 2, 'id'),
    ('fiscal_certificate', 1, 'form'), ('fiscal_certificate', 2, 'id'),
    ('urbanism_certificate', 1, 'form'), ('urbanism_certificate', 2, 'title'), ('urbanism_certificate', 3, 'plans'), ('urbanism_certificate', 4, 'fee'),
    ('building_permit', 1, 'form'), ('building_permit', 2, 'urbanism'), ('building_permit', 3, 'title'), ('building_permit', 4, 'project'), ('building_permit', 5, 'fee'),
    ('civil_status', 1, 'form'), ('civil_status', 2, 'id'),
    ('public_works', 1, 'form'),
    ('parking_permit', 1, 'form'), ('parking_permit', 2, 'id'), ('parking_permit', 3, 'vehicle'),
    ('building_tax_return', 1, 'form'), ('building_tax_return', 2, 'id'), ('building_tax_return', 3, 'title'),
    ('vehicle_tax_registration', 1, 'form'), ('vehicle_tax_registration', 2, 'id'), ('vehicle_tax_registration', 3, 'contract'), ('vehicle_tax_registration', 4, 'vehicle'),
    ('vehicle_tax_deregistration', 1, 'form'), ('vehicle_tax_deregistration', 2, 'id'), ('vehicle_tax_deregistration', 3, 'contract'),
    ('tax_refund', 1, 'form'), ('tax_refund', 2, 'id'), ('tax_refund', 3, 'bank'),
    ('tax_instalments', 1, 'form'), ('tax_instalments', 2, 'id'), ('tax_instalments', 3, 'income'),
    ('demolition_permit', 1, 'form'), ('demolition_permit', 2, 'urbanism'), ('demolition_permit', 3, 'title'), ('demolition_permit', 4, 'fee'),
    ('address_certificate', 1, 'form'), ('address_certificate', 2, 'title'), ('address_certificate', 3, 'fee'),
    ('works_acceptance', 1, 'form'), ('works_acceptance', 2, 'permit'),
    ('urbanism_certificate_extension', 1, 'form'), ('urbanism_certificate_extension', 2, 'urbanism'), ('urbanism_certificate_extension', 3, 'fee'),
    ('birth_registration', 1, 'medical'), ('birth_registration', 2, 'id'), ('birth_registration', 3, 'marriage_cert'),
    ('death_registration', 1, 'medical'), ('death_registration', 2, 'id'), ('death_registration', 3, 'birth'),
    ('marriage', 1, 'form'), ('marriage', 2, 'id'), ('marriage', 3, 'birth'), ('marriage', 4, 'prenuptial'),
    ('civil_certificate_duplicate', 1, 'form'), ('civil_certificate_duplicate', 2, 'id'), ('civil_certificate_duplicate', 3, 'fee'),
    ('name_change', 1, 'form'), ('name_change', 2, 'id'), ('name_change', 3, 'birth'), ('name_change', 4, 'reason'), ('name_change', 5, 'fee'),
    ('administrative_divorce', 1, 'form'), ('administrative_divorce', 2, 'id'), ('administrative_divorce', 3, 'marriage_cert'), ('administrative_divorce', 4, 'fee'),
    ('social_aid', 1, 'form'), ('social_aid', 2, 'id'), ('social_aid', 3, 'income'), ('social_aid', 4, 'household'),
    ('heating_aid', 1, 'form'), ('heating_aid', 2, 'id'), ('heating_aid', 3, 'income'), ('heating_aid', 4, 'household'),
    ('child_allowance', 1, 'form'), ('child_allowance', 2, 'id'), ('child_allowance', 3, 'birth'),
    ('personal_assistant', 1, 'form'), ('personal_assistant', 2, 'id'), ('personal_assistant', 3, 'disability'),
    ('emergency_aid', 1, 'form'), ('emergency_aid', 2, 'id'), ('emergency_aid', 3, 'reason'),
    ('elderly_home_care', 1, 'form'), ('elderly_home_care', 2, 'id'), ('elderly_home_care', 3, 'income'),
    ('residential_parking', 1, 'form'), ('residential_parking', 2, 'id'), ('residential_parking', 3, 'vehicle'), ('residential_parking', 4, 'address'),
    ('disabled_parking_card', 1, 'form'), ('disabled_parking_card', 2, 'id'), ('disabled_parking_card', 3, 'disability'),
    ('mayor_audience', 1, 'form'),
    ('public_documents_copy', 1, 'form'),
    ('public_event_permit', 1, 'form'), ('public_event_permit', 2, 'id'), ('public_event_permit', 3, 'event_plan')
)
INSERT INTO service_documents (service_code, position, name_ro, name_en, name_hu)
SELECT need.service_code, need.position, doc.ro, doc.en, doc.hu FROM need JOIN doc ON doc.doc_key = need.doc_key;

-- What the map asks whoever reports an incident.
INSERT INTO service_attributes (service_code, code, position, datatype, required, question_ro, question_en, question_hu) VALUES
('pothole', 'size', 1, 'singlevaluelist', 1, 'Cât de mare este groapa?', 'How big is the pothole?', 'Mekkora a kátyú?'),
('pothole', 'depth_cm', 2, 'number', 0, 'Cât de adâncă este, aproximativ, în centimetri?', 'About how deep is it, in centimetres?', 'Körülbelül milyen mély, centiméterben?'),
('street_light', 'problem', 1, 'singlevaluelist', 1, 'Ce se întâmplă cu lampa?', 'What is wrong with the light?', 'Mi a hiba a lámpával?'),
('street_light', 'pole_number', 2, 'string', 0, 'Numărul scris pe stâlp, dacă îl vedeți', 'The number on the pole, if you can see it', 'Az oszlopon látható szám, ha látja'),
('illegal_dumping', 'waste_type', 1, 'multivaluelist', 1, 'Ce fel de deșeuri sunt?', 'What kind of waste is it?', 'Milyen hulladékról van szó?'),
('illegal_dumping', 'amount', 2, 'singlevaluelist', 0, 'Cât de mult?', 'How much is there?', 'Mennyi van belőle?'),
('missed_collection', 'bin_type', 1, 'singlevaluelist', 1, 'Ce container nu a fost golit?', 'Which bin was not emptied?', 'Melyik konténert nem ürítették ki?'),
('missed_collection', 'scheduled_at', 2, 'datetime', 0, 'Când trebuia ridicat?', 'When should it have been collected?', 'Mikor kellett volna elszállítani?'),
('damaged_pavement', 'problem', 1, 'singlevaluelist', 1, 'Ce problemă are trotuarul?', 'What is wrong with the pavement?', 'Mi a probléma a járdával?'),
('traffic_sign', 'kind', 1, 'singlevaluelist', 1, 'Ce este defect?', 'What is faulty?', 'Mi hibás?'),
('fallen_tree', 'blocks_traffic', 1, 'singlevaluelist', 1, 'Blochează strada sau trotuarul?', 'Does it block the street or the pavement?', 'Elzárja az utat vagy a járdát?'),
('stray_dogs', 'count', 1, 'number', 0, 'Câți câini sunt?', 'How many dogs are there?', 'Hány kutya van?'),
('stray_dogs', 'aggressive', 2, 'singlevaluelist', 1, 'Sunt agresivi?', 'Are they aggressive?', 'Agresszívek?'),
('snow_ice', 'place', 1, 'singlevaluelist', 1, 'Unde?', 'Where?', 'Hol?'),
('manhole_cover', 'blocks_traffic', 1, 'singlevaluelist', 1, 'Este pe carosabil?', 'Is it in the roadway?', 'Az úttesten van?'),
('graffiti', 'surface', 1, 'string', 0, 'Pe ce este desenat (clădire, stâlp, bancă)?', 'What is it on (building, pole, bench)?', 'Mire festették (épület, oszlop, pad)?'),
('abandoned_vehicle', 'plate', 1, 'string', 0, 'Numărul de înmatriculare, dacă există', 'The number plate, if there is one', 'A rendszám, ha van'),
('abandoned_vehicle', 'since', 2, 'datetime', 0, 'De când se află acolo?', 'Since when has it been there?', 'Mióta áll ott?'),
('illegal_parking', 'where', 1, 'singlevaluelist', 1, 'Unde este parcat?', 'Where is it parked?', 'Hol parkol?'),
('illegal_parking', 'plate', 2, 'string', 0, 'Numărul de înmatriculare', 'The number plate', 'A rendszám');

INSERT INTO service_attribute_values (service_code, attribute_code, position, value_key, name_ro, name_en, name_hu) VALUES
('pothole', 'size', 1, 'small', 'Mică (sub 30 cm)', 'Small (under 30 cm)', 'Kicsi (30 cm alatt)'),
('pothole', 'size', 2, 'medium', 'Medie (30–100 cm)', 'Medium (30–100 cm)', 'Közepes (30–100 cm)'),
('pothole', 'size', 3, 'large', 'Mare (peste 1 m)', 'Large (over 1 m)', 'Nagy (1 m felett)'),
('street_light', 'problem', 1, 'off', 'Nu se aprinde', 'It does not come on', 'Nem gyullad fel'),
('street_light', 'problem', 2, 'flickering', 'Pâlpâie', 'It flickers', 'Villog'),
('street_light', 'problem', 3, 'on_by_day', 'Rămâne aprinsă ziua', 'It stays on by day', 'Nappal is ég'),
('street_light', 'problem', 4, 'damaged_pole', 'Stâlp deteriorat sau cabluri atârnând', 'Damaged pole or hanging cables', 'Sérült oszlop vagy lelógó vezetékek'),
('illegal_dumping', 'waste_type', 1, 'household', 'Menajere', 'Household waste', 'Háztartási hulladék'),
('illegal_dumping', 'waste_type', 2, 'construction', 'Moloz din construcții', 'Building rubble', 'Építési törmelék'),
('illegal_dumping', 'waste_type', 3, 'bulky', 'Mobilier sau electrocasnice', 'Furniture or appliances', 'Bútor vagy háztartási gép'),
('illegal_dumping', 'waste_type', 4, 'hazardous', 'Periculoase (chimicale, anvelope, azbest)', 'Hazardous (chemicals, tyres, asbestos)', 'Veszélyes (vegyszer, gumiabroncs, azbeszt)'),
('illegal_dumping', 'amount', 1, 'bags', 'Câțiva saci', 'A few bags', 'Néhány zsák'),
('illegal_dumping', 'amount', 2, 'car', 'Cât încape într-o mașină', 'A car boot full', 'Egy autónyi'),
('illegal_dumping', 'amount', 3, 'truck', 'Cât un camion sau mai mult', 'A lorry load or more', 'Egy teherautónyi vagy több'),
('missed_collection', 'bin_type', 1, 'household', 'Deșeuri menajere', 'Household waste', 'Háztartási hulladék'),
('missed_collection', 'bin_type', 2, 'recycling', 'Reciclabile (hârtie, plastic, metal)', 'Recycling (paper, plastic, metal)', 'Újrahasznosítható (papír, műanyag, fém)'),
('missed_collection', 'bin_type', 3, 'glass', 'Sticlă', 'Glass', 'Üveg'),
('damaged_pavement', 'problem', 1, 'broken_slabs', 'Dale sparte sau lipsă', 'Broken or missing slabs', 'Törött vagy hiányzó lapok'),
('damaged_pavement', 'problem', 2, 'kerb', 'Bordură lipsă sau deteriorată', 'Missing or damaged kerb', 'Hiányzó vagy sérült szegély'),
('damaged_pavement', 'problem', 3, 'blocked', 'Trotuar blocat', 'Pavement blocked', 'Elzárt járda'),
('traffic_sign', 'kind', 1, 'sign', 'Indicator', 'Road sign', 'Közlekedési tábla'),
('traffic_sign', 'kind', 2, 'traffic_light', 'Semafor', 'Traffic light', 'Jelzőlámpa'),
('traffic_sign', 'kind', 3, 'markings', 'Marcaje rutiere', 'Road markings', 'Útburkolati jelek'),
('fallen_tree', 'blocks_traffic', 1, 'yes', 'Da', 'Yes', 'Igen'),
('fallen_tree', 'blocks_traffic', 2, 'no', 'Nu', 'No', 'Nem'),
('stray_dogs', 'aggressive', 1, 'yes', 'Da', 'Yes', 'Igen'),
('stray_dogs', 'aggressive', 2, 'no', 'Nu', 'No', 'Nem'),
('snow_ice', 'place', 1, 'street', 'Stradă', 'Street', 'Utca'),
('snow_ice', 'place', 2, 'pavement', 'Trotuar', 'Pavement', 'Járda'),
('snow_ice', 'place', 3, 'bus_stop', 'Stație de autobuz', 'Bus stop', 'Buszmegálló'),
('manhole_cover', 'blocks_traffic', 1, 'yes', 'Da, pe carosabil', 'Yes, in the roadway', 'Igen, az úttesten'),
('manhole_cover', 'blocks_traffic', 2, 'no', 'Nu, pe trotuar', 'No, on the pavement', 'Nem, a járdán'),
('illegal_parking', 'where', 1, 'pavement', 'Pe trotuar', 'On the pavement', 'A járdán'),
('illegal_parking', 'where', 2, 'crossing', 'Pe trecerea de pietoni', 'On a pedestrian crossing', 'A gyalogátkelőn'),
('illegal_parking', 'where', 3, 'gate', 'În fața unei porți sau a unui garaj', 'In front of a gate or garage', 'Kapu vagy garázs előtt'),
('illegal_parking', 'where', 4, 'disabled_space', 'Pe un loc pentru persoane cu handicap', 'In a disabled parking space', 'Mozgáskorlátozott-parkolóhelyen');
