/**
 * The made-up menu of a Bicol fried-chicken-and-pasta chain: plausible names,
 * prices and department codes shaped like the real exports (CHM1, B&S4,
 * BEV15...). Data only; the renderers decide how it is written.
 */
export interface Department {
  /** Classic-format code as in rd1800 (`01`, `28`...). */
  readonly code: string;
  readonly name: string;
  /** New-format code: short number or a named group like `HOT101`. */
  readonly newCode: string;
  /** New-format rd1800 CATEG_ID group. */
  readonly newGroup: string;
  /** Marketing category for conversion_category.csv. */
  readonly category: string;
  /** Relative popularity of the department on an order line. */
  readonly weight: number;
}

export interface Product {
  readonly code: string;
  readonly name: string;
  readonly dept: string;
  readonly price: number;
  /** Zero-priced cooking instruction (NO ICE...), sold only with the modifiers edge case. */
  readonly modifier?: boolean;
  /** Free line added to a meal (REP codes in the real exports). */
  readonly freebie?: boolean;
}

export const DEPARTMENTS: readonly Department[] = [
  { code: '01', name: 'CHICKEN MEALS', newCode: '1', newGroup: 'MEALS', category: 'Chicken Meals', weight: 22 },
  { code: '02', name: 'CLASSIC MEALS', newCode: '1', newGroup: 'MEALS', category: 'Chicken Meals', weight: 9 },
  { code: '03', name: 'BREAKFAST', newCode: '4', newGroup: 'MEALS', category: 'Breakfast Meals', weight: 8 },
  { code: '04', name: 'PASTA DISHES', newCode: '5', newGroup: 'MEALS', category: 'Pasta', weight: 10 },
  { code: '05', name: 'CAKES', newCode: '6', newGroup: 'SNACKS', category: 'Dessert', weight: 3 },
  { code: '06', name: 'BURGERS AND SANDWICHES', newCode: '3', newGroup: 'SNACKS', category: 'Burger / Sandwich', weight: 9 },
  { code: '07', name: 'BEVERAGES', newCode: 'BMDRINKS', newGroup: 'DRINKS', category: 'Beverages', weight: 20 },
  { code: '09', name: 'EXTRAS', newCode: '7', newGroup: 'SNACKS', category: 'Add on', weight: 6 },
  { code: '10', name: 'SALAD DELIGHTS', newCode: '2', newGroup: 'MEALS', category: 'Salad', weight: 3 },
  { code: '19', name: 'SOUP', newCode: '8', newGroup: 'MEALS', category: 'Soup', weight: 3 },
  { code: '21', name: 'SHAKES', newCode: 'FRA101', newGroup: 'COFFEE', category: 'Beverages', weight: 4 },
  { code: '23', name: 'UPGRADE', newCode: '9', newGroup: 'MEALS', category: 'Upgrade', weight: 3 },
  { code: '28', name: 'REPRESENTATION', newCode: '10', newGroup: 'MEALS', category: 'Others', weight: 0 },
  { code: '31', name: 'ADD ONS', newCode: '7', newGroup: 'SNACKS', category: 'Add on', weight: 5 },
  { code: '35', name: 'KIDS MEALS', newCode: '11', newGroup: 'MEALS', category: 'Chicken Meals', weight: 2 },
  { code: '44', name: 'NESPRESSO', newCode: 'HOT101', newGroup: 'COFFEE', category: 'Beverages', weight: 3 },
  { code: '62', name: 'SIZZLERS', newCode: '12', newGroup: 'MEALS', category: 'Sizzlers', weight: 6 },
  { code: '66', name: 'SNACKS', newCode: '3', newGroup: 'SNACKS', category: 'Others', weight: 3 },
  { code: '4', name: 'FOOD PANDA', newCode: '13', newGroup: 'DELIVERY', category: 'Others', weight: 0 },
  { code: '72', name: 'MODIFIERS', newCode: 'MOD1', newGroup: 'MODIFIERS', category: 'Others', weight: 0 },
];

// code|name|dept code|price. Kept as text: one product a line reads like a menu.
const PRODUCTS_TEXT = `
CHM1|CRISPY 2PCS|01|278
CHM2|BIGG DEAL|01|342
CHM3|CHKN-KEBAB MEAL|01|298
CHM4|CRISPY 1PC|01|149
CHM5|CHICKEN INASAL MEAL|01|189
CHM6|SPICY CRISPY 1PC|01|174
CHM7|CHICKEN BBQ MEAL|01|169
CHM8|BUFFALO WINGS MEAL|01|229
CHM9|CHICKEN POPPERS MEAL|01|159
CHM10|LEMON BUTTER CHICKEN|01|199
CHM11|HONEY GARLIC CHICKEN|01|199
CHM12|CARBO PLATTER|01|298
CHM13|CHICKEN ADOBO FLAKES|01|165
CHM19|1PC CHIX W RICE & DRINK|01|149
CLM1|PORK CHOP MEAL|02|297
CLM2|BICOL EXPRESS MEAL|02|219
CLM3|BEEF TAPA MEAL|02|239
CLM4|LAING W RICE|02|149
CLM5|PINANGAT MEAL|02|189
CLM6|PORK SISIG MEAL|02|229
CLM7|FISH FILLET MEAL|02|209
CLM8|LECHON KAWALI MEAL|02|259
CLM9|KARE-KARE MEAL|02|279
CLM12|TUNA SALPICAO|02|367
CLM13|BEEF SALPICAO MEAL|02|362
BRK1|TAPSILOG|03|169
BRK2|LONGSILOG|03|149
BRK3|TOCILOG|03|149
BRK4|BANGSILOG|03|189
BRK5|HOTSILOG|03|129
BRK6|CORNSILOG|03|129
BRK7|SPAMSILOG|03|179
BRK8|AMERICAN BREAKFAST|03|259
BRK9|PANCAKE PLATTER|03|159
BRK10|GOTO|03|99
BRK11|ARROZ CALDO|03|109
PST1|SPAGHETTI SOLO|04|114
PST2|CARBONARA SOLO|04|144
PST3|BAKED MAC SOLO|04|139
PST4|PANCIT BIHON|04|159
PST5|PANCIT CANTON|04|159
PST6|TUNA PESTO|04|169
PST7|SEAFOOD MARINARA|04|199
PST8|BACON MAC N CHEESE|04|179
PST9|CHICKEN ALFREDO|04|189
PST10|SPAGHETTI W CHICKEN|04|169
DST1|CHOCO MOIST CAKE SLICE|05|95
DST2|CARROT CAKE SLICE|05|105
DST3|LECHE FLAN|05|69
DST4|HALO-HALO REGULAR|05|119
DST5|HALO-HALO SPECIAL|05|149
DST6|BUKO PANDAN|05|79
DST7|MANGO GRAHAM|05|99
DST8|BERRIES CHEESECAKE|05|125
DST9|APPLE CRUMBLE|05|99
DST10|WHOLE CARROT CAKE|05|899
B&S1|CLASSIC BURGER|06|99
B&S2|CHEESY BURGER|06|109
B&S3|BACON CHEESE BURGER|06|109
B&S4|CLASSIC CHEESY BURGER|06|119
B&S5|DOUBLE PATTY BURGER|06|179
B&S6|CHICKEN SANDWICH|06|129
B&S7|CLUBHOUSE SANDWICH|06|169
B&S8|TUNA SANDWICH|06|99
B&S9|HAM & EGG SANDWICH|06|89
B&S10|PRIDE BURGER|06|199
BEV1|PEPSI GLASS|07|59
BEV2|PEPSI LARGE|07|79
BEV3|MOUNTAIN DEW CAN|07|69
BEV4|SPRITE REGULAR|07|59
BEV5|BOTTLED WATER|07|35
BEV6|CALAMANSI JUICE|07|69
BEV7|HOT TEA|07|45
BEV8|HOT CHOCOLATE|07|69
BEV9|BREWED COFFEE|07|59
BEV10|ICED COFFEE|07|89
BEV11|MANGO JUICE|07|75
BEV12|PINEAPPLE JUICE|07|75
BEV13|GULAMAN|07|49
BEV14|BUKO JUICE|07|79
BEV15|ICED TEA REGULAR|07|89
BEV16|ICED TEA LARGE|07|99
BEV17|LEMONADE|07|89
BEV18|CUCUMBER LEMONADE|07|99
BEV19|WINTERMELON MILK TEA|07|119
BEV20|RED ICED TEA|07|89
BEV21|SAGO'T GULAMAN|07|59
BEV22|ENGLISH BREAKFAST TEA|07|49
BEV23|PJ LARGE|07|99
BEV24|BREWED FLOWING|07|89
XTR1|PLAIN RICE|09|30
XTR2|GARLIC RICE|09|40
XTR3|JAVA RICE|09|45
XTR4|GRAVY|09|15
XTR5|FRIED EGG|09|25
XTR6|MASHED POTATO|09|99
XTR7|COLESLAW|09|98
XTR8|CORN|09|25
XTR9|CREAMER|09|10
XTR10|EXTRA SAUCE|09|20
XTR11|ATCHARA|09|20
SLD1|CAESAR SALAD|10|189
SLD2|CHEFS SALAD|10|199
SLD3|PILI GRAPE SALAD|10|195
SLD4|MACARONI SALAD|10|89
SLD9|CHIX N GREEN|10|189
SUP1|POTATO LEEK SOUP|19|89
SUP2|CREAM OF MUSHROOM|19|89
SUP3|SINIGANG NA BABOY|19|229
SUP4|BULALO|19|299
SUP5|CHICKEN SOTANGHON|19|129
SHK1|RIPE MANGO SHAKE|21|129
SHK2|AVOCADO SHAKE|21|129
SHK3|BUKO SHAKE|21|119
SHK4|COOKIES N CREAM SHAKE|21|139
SHK5|STRAWBERRY SHAKE|21|139
SHK17|GUYABANO SHAKE|21|129
UPG1|UPGRADE TO LARGE DRINK|23|20
UPG2|UPGRADE TO JAVA RICE|23|15
UPG3|UPGRADE TO COLESLAW|23|25
UPG4|UPGRADE TO MEDLEY|23|30
ADD1|1PC CHICKEN ADD ON|31|99
ADD2|CHICKEN SKIN|31|59
ADD3|LUMPIANG SHANGHAI 5PCS|31|79
ADD4|KIKIAM 3PCS|31|39
ADD5|SPRING ROLL|31|49
ADD6|CHIX POPPERS DIP|31|29
ADD7|GARLIC RANCH DIP|31|29
KM1|KIDDIE SPAG MEAL|35|99
KM2|KIDDIE CHICKEN MEAL|35|119
KM3|SPEEDY FRANKS|35|90
NES1|AMERICANO|44|149
NES2|CAFE LATTE|44|169
NES3|CAPPUCCINO|44|169
NES4|CARAMEL MACCHIATO|44|179
NES5|ICED MOCHA|44|179
SIZ1|SIZZLING SISIG|62|229
SIZ2|SIZZLING PORK CHOP|62|259
SIZ3|SIZZLING TANGUIGUE STEAK|62|299
SIZ4|SIZZLING BEEF PEPPER|62|279
SIZ5|SIZZLING GAMBAS|62|289
SIZ6|SIZZLING TOFU|62|169
SIZ7|SIZZLING BANGUS|62|249
SIZ8|SIZZLING HOTDOG|62|149
SNK1|NACHOS|66|159
SNK2|FRIES REGULAR|66|69
SNK3|CHEESE FRIES|66|89
SNK4|PIZZA BREAD|66|79
SNK5|CHICKEN POPPERS|66|129
SNK6|ONION RINGS|66|89
FP1|FP CRISPY 1PC|4|169
FP2|FP CARBONARA|4|164
FP3|FP PORK CHOP MEAL|4|317
FP4|FP BIGG DEAL|4|362
FP124|FP SPAGHETTI|4|134
REP1|PLASTIC UTENSILS|28|0
REP2|FREE ICED TEA|28|0
REP3|FREE RICE|28|0
MOD1|NO ICE|72|0
MOD2|LESS ICE|72|0
MOD3|LESS SPICY|72|0
MOD4|EXTRA SPICY|72|0
MOD5|WITH CUTLERY|72|0
MOD6|NO RICE|72|0
`;

export const PRODUCTS: readonly Product[] = PRODUCTS_TEXT.trim()
  .split('\n')
  .map((line) => {
    const [code = '', name = '', dept = '', price = '0'] = line.split('|');
    return {
      code,
      name,
      dept,
      price: Number(price),
      ...(dept === '72' ? { modifier: true } : {}),
      ...(dept === '28' ? { freebie: true } : {}),
    };
  });

/** Products injected with the quotedNames edge case: names with `"` like the real `EXT""E BURGER`. */
export const QUOTED_PRODUCTS: readonly Product[] = [
  { code: 'REPBS5', name: 'EXT"E BURGER', dept: '06', price: 0, freebie: true },
  { code: 'REPBS7', name: 'EXT"E SUP"E BURGER', dept: '06', price: 0, freebie: true },
  { code: 'B&S11', name: '12" FOOTLONG SANDWICH', dept: '06', price: 189 },
];

/** Products injected with the nonAscii edge case (ñ, é, and the no-break space the real files carry). */
export const NON_ASCII_PRODUCTS: readonly Product[] = [
  { code: 'BEV25', name: 'PIÑA COLADA', dept: '07', price: 129 },
  { code: 'NES6', name: 'CAFÉ AU LAIT', dept: '44', price: 169 },
  { code: 'PST11', name: 'CARBO\u00a0PAN', dept: '04', price: 1399 },
  { code: 'SIZ9', name: 'SIZZLING PUSÔ BANGUS', dept: '62', price: 249 },
];

export interface PaymentMethod {
  readonly code: string;
  readonly newCode: string;
  readonly name: string;
  readonly method: number;
  readonly maxAmount: number;
  /** Share of non-delivery orders paid with it. */
  readonly weight: number;
  readonly delivery?: boolean;
}

export const PAYMENT_METHODS: readonly PaymentMethod[] = [
  { code: '00001', newCode: '10001', name: 'CASH', method: 0, maxAmount: 0, weight: 70 },
  { code: '00002', newCode: '10002', name: 'CREDIT CARD', method: 1, maxAmount: 0, weight: 5 },
  { code: '4', newCode: '10004', name: 'CHARGE', method: 6, maxAmount: 0, weight: 1 },
  { code: '5', newCode: '10005', name: 'GC P50', method: 2, maxAmount: 50, weight: 1 },
  { code: '6', newCode: '10006', name: 'GC P100', method: 2, maxAmount: 100, weight: 1 },
  { code: '9', newCode: '10009', name: 'FOODPANDA', method: 6, maxAmount: 0, weight: 0, delivery: true },
  { code: '10', newCode: '10019', name: 'BIGGS LOYALTY', method: 6, maxAmount: 0, weight: 4 },
  { code: '11', newCode: '10011', name: 'DEBIT', method: 6, maxAmount: 0, weight: 6 },
  { code: '12', newCode: '10012', name: 'GCASH', method: 3, maxAmount: 0, weight: 8 },
  { code: '13', newCode: '10013', name: 'GRAB FOOD', method: 6, maxAmount: 0, weight: 0, delivery: true },
  { code: '18', newCode: '10018', name: 'PAYMAYA', method: 6, maxAmount: 0, weight: 3 },
  { code: '19', newCode: '10020', name: 'ON THE HOUSE', method: 6, maxAmount: 0, weight: 0 },
  { code: '23', newCode: '10023', name: 'BULK ORDER CHARGING', method: 6, maxAmount: 0, weight: 0 },
];

export interface Discount {
  readonly code: string;
  readonly newCode: string;
  readonly name: string;
  readonly type: 'SUBTOTAL PERCENT' | 'SUBTOTAL AMOUNT';
  readonly value: number;
  /** Senior/PWD discounts are VAT-exempt: the POS strips VAT before discounting. */
  readonly vatExempt: boolean;
  readonly weight: number;
}

export const DISCOUNTS: readonly Discount[] = [
  { code: '1', newCode: 'SC', name: 'SNR CTZN 20%', type: 'SUBTOTAL PERCENT', value: 20, vatExempt: true, weight: 10 },
  { code: '5', newCode: 'PWD', name: 'PWD', type: 'SUBTOTAL PERCENT', value: 20, vatExempt: true, weight: 4 },
  { code: '11', newCode: 'D5', name: '5% DISCOUNT', type: 'SUBTOTAL PERCENT', value: 5, vatExempt: false, weight: 1 },
  { code: '14', newCode: 'EMP', name: '10% EMPLOYEE DISC', type: 'SUBTOTAL PERCENT', value: 10, vatExempt: false, weight: 1 },
  { code: 'DC28', newCode: 'BULK', name: '5% BULK ORDER DISC', type: 'SUBTOTAL PERCENT', value: 5, vatExempt: false, weight: 0 },
  { code: 'DC27', newCode: 'CORP', name: '1000MAX CORPPART DIS', type: 'SUBTOTAL AMOUNT', value: 1000, vatExempt: false, weight: 0 },
];
